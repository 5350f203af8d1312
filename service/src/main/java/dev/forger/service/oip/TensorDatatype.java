package dev.forger.service.oip;

import java.util.Arrays;
import java.util.Optional;

/** The protocol's tensor element types and their size in the binary encodings (BYTES: length-prefixed). */
public enum TensorDatatype {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), BF16(2), FP32(4), FP64(8), BYTES(-1);

    private final int bytes;

    TensorDatatype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element, or -1 for BYTES, whose elements carry their own length. */
    public int bytes() {
        return bytes;
    }

    /** The datatype a request names; case-sensitive, as the protocol spells them. */
    public static Optional<TensorDatatype> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }
}
