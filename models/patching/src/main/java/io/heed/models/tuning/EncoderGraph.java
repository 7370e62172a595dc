/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT encoder's ONNX graph with each float initializer known by its role ({@code layer.2.key.weight},
 * {@code embeddings.norm.gamma}, ...; see {@link Projection} and {@link Norm}). Reads and replaces weights; the graph
 * itself is never changed, so a model with replaced weights runs wherever the original runs.
 */
public final class EncoderGraph {
    public static final String WORD_EMBEDDINGS = "embeddings.word";
    public static final String POSITION_EMBEDDINGS = "embeddings.position";
    public static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type";

    private final ModelProto model;
    /** Role to initializer name, in mapping order. */
    private final Map<String, String> roles;

    private final Map<String, TensorProto> initializers = new HashMap<>();

    private EncoderGraph(ModelProto model) {
        this.model = model;
        this.roles = Map.copyOf(RoleMapper.map(model.getGraph()));
        model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    }

    public static EncoderGraph of(ModelProto model) {
        return new EncoderGraph(model);
    }

    public static EncoderGraph read(Path onnx) throws IOException {
        try (InputStream in = Files.newInputStream(onnx)) {
            return of(ModelProto.parseFrom(in));
        }
    }

    public ModelProto model() {
        return model;
    }

    public Set<String> roles() {
        return roles.keySet();
    }

    /** Transformer layers in the graph. */
    public int layers() {
        return (int)
                roles.keySet().stream().filter(r -> r.endsWith(".query.weight")).count();
    }

    /** Width of the hidden states. */
    public int hidden() {
        return shape(Norm.EMBEDDINGS_GAMMA)[0];
    }

    public String initializerName(String role) {
        String name = roles.get(role);
        if (name == null) {
            throw new IllegalArgumentException("no initializer has role " + role);
        }
        return name;
    }

    /** Shape of the role's initializer; weight matrices are {@code [in, out]}. */
    public int[] shape(String role) {
        List<Long> dims = initializers.get(initializerName(role)).getDimsList();
        return dims.stream().mapToInt(Long::intValue).toArray();
    }

    /** The role's values, row-major. */
    public float[] values(String role) {
        return floats(initializers.get(initializerName(role)));
    }

    /** A copy of the model in which the given roles have new values (same shapes); every other byte is kept. */
    public ModelProto withValues(Map<String, float[]> replacements) {
        Map<String, String> byInitializer = new HashMap<>();
        replacements.keySet().forEach(role -> byInitializer.put(initializerName(role), role));
        ModelProto.Builder builder = model.toBuilder();
        var graph = builder.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto tensor = graph.getInitializer(i);
            String role = byInitializer.get(tensor.getName());
            if (role != null) {
                graph.setInitializer(i, withFloats(tensor, replacements.get(role)));
            }
        }
        return builder.build();
    }

    static int size(TensorProto tensor) {
        return Math.toIntExact(
                tensor.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b));
    }

    static float[] floats(TensorProto tensor) {
        float[] values = new float[size(tensor)];
        if (tensor.hasRawData()) {
            tensor.getRawData()
                    .asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
        }
        return values;
    }

    /**
     * The tensor with new values, stored the way the original was (raw little-endian bytes, ONNX's own layout for
     * large tensors, or the {@code float_data} field some tools use for scalars), so that writing back unchanged values
     * reproduces the original tensor exactly.
     */
    static TensorProto withFloats(TensorProto tensor, float[] values) {
        if (values.length != size(tensor)) {
            throw new IllegalArgumentException("initializer " + tensor.getName() + " holds " + size(tensor)
                    + " values, replacement has " + values.length);
        }
        TensorProto.Builder builder = tensor.toBuilder().clearFloatData().clearRawData();
        if (!tensor.hasRawData()) {
            for (float value : values) {
                builder.addFloatData(value);
            }
            return builder.build();
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return builder.setRawData(ByteString.copyFrom(bytes.array())).build();
    }
}
