package dev.forger.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test are; surefire passes the paths (see deploy/pom.xml). */
final class Repo {
    private Repo() {
    }

    static Path root() {
        return property("forger.deploy.root");
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    static Path dashboard() {
        return k8s().resolve("grafana/forger.json");
    }

    static Path prometheusRule() {
        return k8s().resolve("base/prometheusrule.yaml");
    }

    static Path applicationProperties() {
        return root().resolve("service/src/main/resources/application.properties");
    }

    static Path nativeImageConfig() {
        return root().resolve("service/src/main/resources/META-INF/native-image/dev.forger/forger-service");
    }

    static Path serviceJar() {
        Path jar = property("forger.deploy.serviceJar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the service first "
                    + "(./mvnw -B -ntp -pl deploy -am verify builds it before these tests)");
        }
        return jar;
    }

    /** This module's scratch folder under target/. */
    static Path work() {
        return property("forger.deploy.work");
    }

    private static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
