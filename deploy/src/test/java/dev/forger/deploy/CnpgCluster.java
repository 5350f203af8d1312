package dev.forger.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * CloudNativePG's {@code Cluster} (postgresql.cnpg.io/v1), with the fields Forger's production overlay
 * uses. fabric8 has no model for it; this one is strict like the others: a field it does not declare
 * fails the parse (Jackson's FAIL_ON_UNKNOWN_PROPERTIES), so a misspelt {@code bootstap} cannot pass.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a plain bean: HasMetadata's inherited KubernetesDeserializer maps kinds it has no model for to
// GenericKubernetesResource (seen once kubernetes-model-networking joined the class path)
@JsonDeserialize(using = JsonDeserializer.None.class)
final class CnpgCluster implements HasMetadata {
    static final String API_VERSION = "postgresql.cnpg.io/v1";
    static final String KIND = "Cluster";

    private String apiVersion;
    private String kind;
    private ObjectMeta metadata;
    private Spec spec;

    record Spec(Integer instances, String imageName, Storage storage, Bootstrap bootstrap, Monitoring monitoring) {}

    record Storage(String size, String storageClass) {}

    record Bootstrap(InitDb initdb) {}

    record InitDb(String database, String owner) {}

    record Monitoring(Boolean enablePodMonitor) {}

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }

    /** The Service CloudNativePG creates for the primary (read-write). */
    @JsonIgnore
    String readWriteService() {
        return metadata.getName() + "-rw";
    }

    /** The Secret CloudNativePG creates with the application owner's username and password. */
    @JsonIgnore
    String applicationSecret() {
        return metadata.getName() + "-app";
    }
}
