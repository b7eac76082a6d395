// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import java.util.List;

/**
 * A finished program, as {@link NativeTools#run(List, java.nio.file.Path)} returns it.
 *
 * @param command  what ran
 * @param exitCode its exit code; 128 + N when signal N killed it
 * @param output   stdout and stderr, merged
 */
public record Run(List<String> command, int exitCode, String output) {

    private static final int SHOWN_LINES = 100;

    /**
     * Returns the output's lines.
     *
     * @return the lines, without line terminators
     */
    public List<String> lines() {
        return output.lines().toList();
    }

    /**
     * Returns the command, exit code and output (its first and last 100 lines if longer): the
     * description of every assertion about a run.
     *
     * @return the description
     */
    public String describe() {
        List<String> lines = lines();
        String shown = output;
        if (lines.size() > 2 * SHOWN_LINES) {
            shown = String.join("\n", lines.subList(0, SHOWN_LINES)) + "\n[... "
                    + (lines.size() - 2 * SHOWN_LINES) + " lines left out ...]\n"
                    + String.join("\n", lines.subList(lines.size() - SHOWN_LINES, lines.size())) + "\n";
        }
        return "$ " + String.join(" ", command) + "\n--- exit code " + exitCode + ", output ---\n" + shown
                + "--- end of output ---";
    }
}
