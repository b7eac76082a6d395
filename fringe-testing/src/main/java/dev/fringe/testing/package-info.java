/**
 * Differential testing for native generators: run a Java model and a native generator on the
 * same inputs and report the first divergence with both traces.
 */
package dev.fringe.testing;
