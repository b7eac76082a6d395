/**
 * The service interface through which {@code fringe-arch-*} modules plug their native context
 * switch into {@code fringe-backend-jna}; see {@link dev.fringe.jna.spi.ArchSupport}.
 */
package dev.fringe.jna.spi;
