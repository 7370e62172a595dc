/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.heed.models.encoder.EncoderWeights;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small self-describing weights file for task heads: magic, a JSON header (format, labels, tensor names and
 * shapes), then the tensors as little-endian float32 in header order. Plain Java on both sides, so inference needs no
 * deep-learning engine and the file diffs and hashes like any other artifact.
 */
public final class HeadFile {
    private static final byte[] MAGIC = "HEEDHEAD".getBytes(StandardCharsets.US_ASCII);
    private static final Gson GSON = new Gson();

    private final String format;
    private final List<String> labels;
    /** Tensors by name, each with its shape; insertion order is file order. */
    private final Map<String, Tensor> tensors;

    /** A named weight array and its shape (row-major). */
    public record Tensor(int[] shape, float[] values) {
        public Tensor {
            int size = 1;
            for (int dim : shape) {
                size *= dim;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("shape and values disagree: " + size + " vs " + values.length);
            }
        }
    }

    public HeadFile(String format, List<String> labels, Map<String, Tensor> tensors) {
        this.format = format;
        this.labels = List.copyOf(labels);
        this.tensors = new LinkedHashMap<>(tensors);
    }

    public String format() {
        return format;
    }

    public List<String> labels() {
        return labels;
    }

    /** All tensors in file order. */
    public Map<String, Tensor> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    /** The named tensor, checked to have exactly the expected shape. */
    public Tensor tensor(String name, int... expectedShape) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("head file lacks tensor '" + name + "'");
        }
        if (!java.util.Arrays.equals(tensor.shape(), expectedShape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(tensor.shape()) + ", expected "
                    + java.util.Arrays.toString(expectedShape));
        }
        return tensor;
    }

    public void write(OutputStream out) throws IOException {
        JsonObject header = new JsonObject();
        header.addProperty("format", format);
        header.add("labels", GSON.toJsonTree(labels));
        JsonArray entries = new JsonArray();
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            JsonObject e = new JsonObject();
            e.addProperty("name", entry.getKey());
            e.add("shape", GSON.toJsonTree(entry.getValue().shape()));
            entries.add(e);
        }
        header.add("tensors", entries);
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        out.write(MAGIC);
        out.write(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(json.length)
                .array());
        out.write(json);
        for (Tensor tensor : tensors.values()) {
            ByteBuffer buffer = ByteBuffer.allocate(tensor.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(tensor.values());
            out.write(buffer.array());
        }
    }

    /** Reads a head file; {@code what} names the source in error messages. */
    public static HeadFile read(InputStream in, String what) throws IOException {
        try {
            return readChecked(new DataInputStream(in), what);
        } catch (java.io.EOFException e) {
            throw new IOException(what + " is truncated: it ends before the header or tensors it declares", e);
        } catch (RuntimeException e) {
            // Malformed JSON header, missing fields, wrong types.
            throw new IOException(what + " has a corrupt header: " + e.getMessage(), e);
        }
    }

    private static HeadFile readChecked(DataInputStream data, String what) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(what + " is not a Heed head file (bad magic)");
        }
        int headerLength = readIntLe(data);
        if (headerLength <= 0 || headerLength > 1 << 20) {
            throw new IOException(what + " has a corrupt header length " + headerLength);
        }
        byte[] json = new byte[headerLength];
        data.readFully(json);
        JsonObject header = GSON.fromJson(new String(json, StandardCharsets.UTF_8), JsonObject.class);
        List<String> labels = new ArrayList<>();
        header.getAsJsonArray("labels").forEach(label -> labels.add(label.getAsString()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var element : header.getAsJsonArray("tensors")) {
            JsonObject e = element.getAsJsonObject();
            int[] shape = GSON.fromJson(e.get("shape"), int[].class);
            long size = 1;
            for (int dim : shape) {
                if (dim < 1) {
                    throw new IOException(
                            what + " has a corrupt header: tensor shape " + java.util.Arrays.toString(shape));
                }
                size *= dim;
                if (size * 4 > Integer.MAX_VALUE - 8) {
                    throw new IOException(what + " has a corrupt header: tensor shape "
                            + java.util.Arrays.toString(shape) + " is too large");
                }
            }
            // Read in chunks (readNBytes), so a corrupt size fails at the end of the file instead of allocating it.
            byte[] bytes = data.readNBytes((int) size * 4);
            if (bytes.length < size * 4) {
                throw new java.io.EOFException();
            }
            float[] values = new float[(int) size];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(values);
            tensors.put(e.get("name").getAsString(), new Tensor(shape, values));
        }
        if (data.read() != -1) {
            throw new IOException(what + " has trailing bytes after its tensors");
        }
        return new HeadFile(header.get("format").getAsString(), labels, tensors);
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    private static int readIntLe(DataInputStream data) throws IOException {
        byte[] bytes = new byte[4];
        data.readFully(bytes);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Makes a task head from its parsed file and the SHA-256 of the file's bytes. */
    @FunctionalInterface
    public interface HeadFactory<H> {
        H create(HeadFile file, String sha256);
    }

    /**
     * Loads a head shipped as a classpath resource next to {@code owner}.
     *
     * @param kind what the head is, for messages ("sentiment head")
     */
    public static <H> H loadResource(Class<?> owner, String resource, String kind, HeadFactory<H> factory) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + kind + " " + resource + " is not on the classpath: "
                        + EncoderWeights.whereToFind(resource));
            }
            return fromBytes(in.readAllBytes(), "classpath:" + resource, kind, factory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundled " + kind + " " + resource, e);
        }
    }

    /** Loads a head from a file; the message of any failure names the file and what is wrong. */
    public static <H> H load(Path file, String kind, HeadFactory<H> factory) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(
                    "Cannot read " + kind + " " + file + ": no such file (absolute path " + file.toAbsolutePath() + ")",
                    new NoSuchFileException(file.toString()));
        }
        try {
            return fromBytes(Files.readAllBytes(file), file.toString(), kind, factory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + kind + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a head from the bytes of its file; {@code what} names where they came from. */
    public static <H> H fromBytes(byte[] bytes, String what, String kind, HeadFactory<H> factory) throws IOException {
        try {
            return factory.create(read(new ByteArrayInputStream(bytes), what), Sha256.hex(bytes));
        } catch (RuntimeException e) {
            throw new IOException(what + " is not a valid " + kind + ": " + e.getMessage(), e);
        }
    }
}
