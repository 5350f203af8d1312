package dev.forger.service.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Replaces the colour-profile chunk of an encoded grey PNG with an {@code sRGB} chunk.
 *
 * <p>Java's grey images live in {@code CS_GRAY}, a <em>linear</em> grey ICC profile, and
 * {@code pngencoder} embeds it as {@code iCCP}; viewers that honour it then show every grey level
 * brighter than the same value in an sRGB image (mid-grey 128 shows as ~188). The service's grey
 * levels are the model's [-1, 1] output mapped straight to 0..255, which is what an sRGB-encoded
 * (untagged) image means, so the tag must say sRGB. No encoder option does this (the library writes
 * {@code sRGB} only for images without a profile), and the job is a walk over a handful of chunks,
 * so it is done here by hand.
 */
final class GreyColourTag {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Rendering intent 0 (perceptual), as the library itself writes for colour images. */
    private static final byte[] SRGB_PERCEPTUAL = {0};

    private GreyColourTag() {
    }

    /** The same PNG with any {@code iCCP} chunk replaced by {@code sRGB}; other chunks byte for byte. */
    static byte[] asSrgb(byte[] png) {
        ByteBuffer in = ByteBuffer.wrap(png);
        if (png.length < SIGNATURE.length || !ByteBuffer.wrap(png, 0, SIGNATURE.length).equals(ByteBuffer.wrap(SIGNATURE))) {
            throw new IllegalArgumentException("not a PNG: the first 8 bytes are not the PNG signature");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length);
        out.write(png, 0, SIGNATURE.length);
        in.position(SIGNATURE.length);
        boolean replaced = false;
        while (in.remaining() >= 12) {
            int start = in.position();
            int length = in.getInt();
            String type = new String(png, start + 4, 4, StandardCharsets.US_ASCII);
            int whole = 12 + length;
            if (length < 0 || whole > png.length - start) {
                throw new IllegalArgumentException("truncated PNG chunk " + type + " at byte " + start);
            }
            if (type.equals("iCCP") || type.equals("sRGB")) {
                if (!replaced) {
                    out.writeBytes(chunk("sRGB", SRGB_PERCEPTUAL));
                    replaced = true;
                }
            } else {
                out.write(png, start, whole);
            }
            in.position(start + whole);
        }
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }
}
