package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Dockerfile.native and Dockerfile.jvm cannot be built here (no Docker engine): this checks what can be
 * checked without one. Every file they copy from the build context exists and is not excluded by
 * .dockerignore, every module of the reactor has its pom copied (Maven reads them all), and the image's
 * user and port are the Deployment's.
 */
class DockerfilesTest {
    private static final Pattern COPY = Pattern.compile("^COPY\\s+(?!--from)(?:--\\S+\\s+)*(.+)$", Pattern.MULTILINE);
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void copiedSourcesExistAndAreNotIgnored() throws IOException {
        List<PathMatcher> ignored = dockerignore();
        for (String dockerfile : List.of("Dockerfile.native", "Dockerfile.jvm")) {
            for (String source : copySources(dockerfile)) {
                Path path = Repo.root().resolve(source);
                assertThat(path).as(dockerfile + " copies " + source).exists();
                Path relative = Path.of(source.replaceAll("/$", ""));
                assertThat(ignored).as(dockerfile + ": .dockerignore excludes " + source)
                        .noneMatch(m -> m.matches(relative) || m.matches(Path.of(relative + "/x")));
            }
        }
    }

    @Test
    void everyReactorModulesPomIsCopied() throws IOException {
        Matcher m = MODULE.matcher(Files.readString(Repo.root().resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).contains("service", "deploy");
        for (String dockerfile : List.of("Dockerfile.native", "Dockerfile.jvm")) {
            List<String> sources = copySources(dockerfile);
            for (String module : modules) {
                assertThat(sources).as(dockerfile + " copies " + module + "/pom.xml").contains(module + "/pom.xml");
            }
        }
    }

    @Test
    void imagesRunAsTheDeploymentsUserAndExposeItsPort() throws IOException {
        Deployment deployment = Kustomize.build(Repo.k8s().resolve("base")).one(Deployment.class);
        long uid = deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        int port = ManifestsTest.container(deployment).getPorts().get(0).getContainerPort();
        for (String dockerfile : List.of("Dockerfile.native", "Dockerfile.jvm")) {
            String text = Files.readString(Repo.root().resolve(dockerfile));
            String runtimeStage = text.substring(text.lastIndexOf("\nFROM "));
            assertThat(runtimeStage).as(dockerfile + " runtime stage").contains("\nUSER " + uid + "\n", "\nEXPOSE " + port + "\n");
        }
    }

    /**
     * The CycloneDX SBOM that the service's build writes beside the jar lists what the image runs (and not the
     * test tools), and both images copy it from their build stage into the runtime stage.
     */
    @Test
    void bothImagesShipTheSbomBuiltWithTheJar() throws IOException {
        Path sbom = Repo.serviceJar().getParent().getParent().resolve("forger-service-sbom.json");
        for (String dockerfile : List.of("Dockerfile.native", "Dockerfile.jvm")) {
            String text = Files.readString(Repo.root().resolve(dockerfile));
            String runtimeStage = text.substring(text.lastIndexOf("\nFROM "));
            assertThat(runtimeStage).as(dockerfile + " runtime stage")
                    .containsPattern("\nCOPY --from=build \\S*\\s*/project/service/target/" + sbom.getFileName()
                            + " \\S+\\.cdx\\.json\n");
        }
        // cyclonedx-maven-plugin needs Maven online (it skips itself under -o); the images' builds are online
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(sbom), sbom + " is missing: the SBOM is made by"
                + " online builds only (cyclonedx-maven-plugin skips itself under mvn -o)");
        JsonNode bom = KubeObjects.JSON.readTree(sbom.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("forger-service");
        List<String> components = new ArrayList<>();
        bom.path("components").forEach(c -> components.add(c.path("name").asText()));
        assertThat(components).contains("onnxruntime", "quarkus-oidc", "quarkus-rest", "bucket4j_jdk17-core",
                "forger-graph");
        assertThat(components).as("test-scope tools are not shipped").doesNotContain("jazzer-junit", "jqwik",
                "assertj-core", "rest-assured");
    }

    private static List<String> copySources(String dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher m = COPY.matcher(Files.readString(Repo.root().resolve(dockerfile)));
        while (m.find()) {
            String[] parts = m.group(1).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {   // the last word is the destination
                sources.add(parts[i]);
            }
        }
        assertThat(sources).as(dockerfile + " COPY sources").isNotEmpty();
        return sources;
    }

    private static List<PathMatcher> dockerignore() throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String line : Files.readAllLines(Repo.root().resolve(".dockerignore"))) {
            String pattern = line.trim();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            pattern = pattern.replaceAll("/$", "");
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern + "/**"));
        }
        return matchers;
    }
}
