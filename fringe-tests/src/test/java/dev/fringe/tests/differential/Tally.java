// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the differential properties checked, per engine pair, for the report printed
 * after the suite: scenarios, resumes, the longest run (in resumes, nested generators' ones
 * included) and the slowest one.
 */
final class Tally {
    private static final Map<String, Tally> BY_PAIR = new TreeMap<>();

    private long scenarios;
    private long resumes;
    private long longest = -1;
    private String longestRun = "";
    private long slowestNanos;
    private long totalNanos;

    private Tally() {}

    /**
     * Records one checked scenario.
     *
     * @param pair    e.g. {@code "native vs continuation"}
     * @param run     the scenario and its inputs, as printed in the report
     * @param resumes resumes of the top-level generator plus those of nested generators
     * @param nanos   wall time of the comparison
     */
    static synchronized void record(String pair, String run, long resumes, long nanos) {
        Tally t = BY_PAIR.computeIfAbsent(pair, p -> new Tally());
        t.scenarios++;
        t.resumes += resumes;
        t.totalNanos += nanos;
        t.slowestNanos = Math.max(t.slowestNanos, nanos);
        if (resumes > t.longest) {
            t.longest = resumes;
            t.longestRun = run;
        }
    }

    /** Returns one paragraph per engine pair. */
    static synchronized String report() {
        StringBuilder sb = new StringBuilder("differential tests (oracle: " + Engines.ORACLE.name()
                + ", the best available Java backend) checked:");
        BY_PAIR.forEach((pair, t) -> sb.append(String.format(
                "%n  %s: %d scenarios, %d resumes, %.1f s; longest run %d resumes, slowest %.2f ms%n    longest: %s",
                pair, t.scenarios, t.resumes, t.totalNanos / 1e9, t.longest, t.slowestNanos / 1e6, t.longestRun)));
        return sb.toString();
    }
}
