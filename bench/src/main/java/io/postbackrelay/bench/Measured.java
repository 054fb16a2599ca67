package io.postbackrelay.bench;

/**
 * A measured wrk run and the CPU line of the processes it loaded ({@code null} without
 * {@code /proc}).
 *
 * @param result the run's figures
 * @param cpu the CPU line
 */
record Measured(Wrk.Result result, String cpu) {
}
