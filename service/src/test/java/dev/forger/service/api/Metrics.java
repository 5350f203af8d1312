package dev.forger.service.api;

import static io.restassured.RestAssured.given;

/** Reads one series of the service's Prometheus text exposition (/q/metrics). */
public final class Metrics {
    private Metrics() {}

    /**
     * The value of the first series of {@code name} whose labels contain every {@code labels} part
     * (e.g. {@code format="npy"}), or 0 when there is none yet.
     */
    public static double value(String name, String... labels) {
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
