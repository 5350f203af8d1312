package dev.forger.service.registry;

import dev.forger.service.config.ForgerConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A {@link ForgerConfig} for tests that build the registry without Quarkus. */
record TestConfig(Path dir, String defaultModel, String embedded) implements ForgerConfig {
    @Override
    public Models models() {
        return new Models() {
            @Override
            public Optional<Path> dir() {
                return Optional.ofNullable(dir);
            }

            @Override
            public String defaultModel() {
                return defaultModel;
            }

            @Override
            public String embedded() {
                return embedded;
            }
        };
    }

    @Override
    public Batching batching() {
        return new Batching() {
            @Override
            public int maxBatchSize() {
                return 8;
            }

            @Override
            public Duration maxDelay() {
                return Duration.ofMillis(1);
            }

            @Override
            public int queueCapacity() {
                return 16;
            }
        };
    }

    @Override
    public Ort ort() {
        return () -> 1;
    }

    @Override
    public Limits limits() {
        return new Limits() {
            @Override
            public int maxCount() {
                return 256;
            }

            @Override
            public int maxImagesPerRequest() {
                return 64;
            }

            @Override
            public int maxImageSide() {
                return 4096;
            }

            @Override
            public MemorySize maxUploadBytes() {
                return new MemorySize(java.math.BigInteger.valueOf(8 << 20));
            }
        };
    }

    @Override
    public Attacks attacks() {
        return new Attacks() {
            @Override
            public int maxSteps() {
                return 1000;
            }

            @Override
            public int maxQueries() {
                return 10_000;
            }

            @Override
            public int maxSearchSteps() {
                return 20;
            }

            @Override
            public int threads() {
                return 1;
            }

            @Override
            public int queueCapacity() {
                return 4;
            }
        };
    }

    @Override
    public Evaluation evaluation() {
        return new Evaluation() {
            @Override
            public int maxQueuedUnits() {
                return 64;
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(1);
            }

            @Override
            public int maxImages() {
                return 64;
            }

            @Override
            public int maxEpsilons() {
                return 8;
            }

            @Override
            public int unitImages() {
                return 16;
            }

            @Override
            public int workers() {
                return 1;
            }

            @Override
            public Duration lease() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration heartbeat() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration poll() {
                return Duration.ofMillis(100);
            }

            @Override
            public int maxAttempts() {
                return 3;
            }
        };
    }

    @Override
    public Store store() {
        return new Store() {
            @Override
            public java.nio.file.Path dir() {
                return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "forger-test-store");
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
