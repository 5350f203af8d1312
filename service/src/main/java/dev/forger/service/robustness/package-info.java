/**
 * Running attacks for the API: a bounded pool of attack threads, their metrics, and robustness
 * evaluations (epsilon sweeps over many images) as cancellable, expiring jobs with a JSON report
 * and a chart. The attacks themselves live in {@code dev.forger.service.attacks}.
 */
package dev.forger.service.robustness;
