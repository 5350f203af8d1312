/** The service's own {@code forger_} metrics (Micrometer, exported by Quarkus on /q/metrics). */
package dev.forger.service.metrics;
