package dev.forger.service.robustness;

import dev.forger.service.registry.LoadedModel;

/**
 * What identifies the model an evaluation ran on: its name, the bundle's version and the sha256 of
 * the discriminator file the attacks query, hashed when the bundle was loaded ({@link LoadedModel#files()}).
 * Replicas compare it before running a unit, so that units of one evaluation never run against different weights.
 */
public record ModelIdentity(String name, String version, String sha256) {

    public static ModelIdentity of(LoadedModel model) {
        return new ModelIdentity(model.name(), model.manifest().version(), model.discriminatorSha256());
    }
}
