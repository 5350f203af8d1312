package dev.forger.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The operations-facing settings of the service, read from its application.properties with Quarkus's
 * defaults for what the file leaves out (the manifests must agree with these, not with a copy).
 */
record ServiceSettings(int httpPort, String metricsPath, String livePath, String readyPath, String startedPath,
                       Properties raw) {

    static ServiceSettings load(Path applicationProperties) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(applicationProperties)) {
            p.load(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + applicationProperties + ": " + e.getMessage(), e);
        }
        String root = "/" + strip(p.getProperty("quarkus.http.non-application-root-path", "q"));
        String health = root + "/" + strip(p.getProperty("quarkus.smallrye-health.root-path", "health"));
        String metrics = p.getProperty("quarkus.micrometer.export.prometheus.path", root + "/metrics");
        return new ServiceSettings(
                Integer.parseInt(p.getProperty("quarkus.http.port", "8080")),
                metrics.startsWith("/") ? metrics : root + "/" + metrics,
                health + "/" + strip(p.getProperty("quarkus.smallrye-health.liveness-path", "live")),
                health + "/" + strip(p.getProperty("quarkus.smallrye-health.readiness-path", "ready")),
                health + "/" + strip(p.getProperty("quarkus.smallrye-health.startup-path", "started")),
                p);
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }
}
