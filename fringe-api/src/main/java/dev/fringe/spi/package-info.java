/**
 * The service interface Java generator engines implement; see
 * {@link dev.fringe.spi.GeneratorBackend}.
 */
package dev.fringe.spi;
