/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.EncoderVariant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled fp32 encoder's initializers get their BERT roles from the graph's nodes. */
class EncoderGraphTest {
    private static EncoderGraph graph;

    @BeforeAll
    static void read() throws Exception {
        graph = EncoderGraph.read(EncoderVariant.FP32.onnxFile());
    }

    @Test
    void everyFloatInitializerHasOneRole() {
        // 3 embedding tables + embedding LayerNorm + 6 layers x (6 matrices + 6 biases + 2 LayerNorms x 2)
        assertThat(graph.roles()).hasSize(3 + 2 + 6 * (6 + 6 + 4));
        assertThat(graph.layers()).isEqualTo(6);
        assertThat(graph.hidden()).isEqualTo(384);
        assertThat(graph.shape(EncoderGraph.WORD_EMBEDDINGS)).containsExactly(30522, 384);
        assertThat(graph.shape(EncoderGraph.POSITION_EMBEDDINGS)).containsExactly(512, 384);
        assertThat(graph.shape(EncoderGraph.TOKEN_TYPE_EMBEDDINGS)).containsExactly(2, 384);
    }

    @Test
    void matricesAreInOutAndBiasesMatchTheirOutputs() {
        for (int layer = 0; layer < 6; layer++) {
            for (Projection projection : Projection.values()) {
                int[] shape = graph.shape(projection.weight(layer));
                int in = projection == Projection.OUTPUT ? 1536 : 384;
                int out = projection == Projection.INTERMEDIATE ? 1536 : 384;
                assertThat(shape).as(projection.weight(layer)).containsExactly(in, out);
                assertThat(graph.shape(projection.bias(layer))).containsExactly(out);
            }
            for (Norm norm : Norm.values()) {
                assertThat(graph.shape(norm.gamma(layer))).containsExactly(384);
                assertThat(graph.shape(norm.beta(layer))).containsExactly(384);
            }
        }
    }

    /**
     * The mapping follows nodes, not names; this export happens to name biases and LayerNorms after their Hugging Face
     * parameters, which independently confirms that query, key and value were told apart correctly.
     */
    @Test
    void structuralRolesAgreeWithTheExportersParameterNames() {
        Map<Projection, String> hfNames = new HashMap<>(Map.of(
                Projection.QUERY,
                "attention.self.query",
                Projection.KEY,
                "attention.self.key",
                Projection.VALUE,
                "attention.self.value",
                Projection.ATTENTION_OUTPUT,
                "attention.output.dense",
                Projection.INTERMEDIATE,
                "intermediate.dense",
                Projection.OUTPUT,
                "output.dense"));
        for (int layer = 0; layer < 6; layer++) {
            for (Projection projection : Projection.values()) {
                assertThat(graph.initializerName(projection.bias(layer)))
                        .isEqualTo("encoder.layer." + layer + "." + hfNames.get(projection) + ".bias");
            }
            assertThat(graph.initializerName(Norm.ATTENTION.gamma(layer)))
                    .isEqualTo("encoder.layer." + layer + ".attention.output.LayerNorm.weight");
            assertThat(graph.initializerName(Norm.OUTPUT.beta(layer)))
                    .isEqualTo("encoder.layer." + layer + ".output.LayerNorm.bias");
        }
        assertThat(graph.initializerName(Projection.QUERY.weight(0))).startsWith("onnx::MatMul_");
    }

    @Test
    void replacedValuesAreReadBackAndOthersKept() {
        float[] bias = graph.values(Projection.VALUE.bias(2));
        float[] changed = bias.clone();
        changed[7] += 1f;
        EncoderGraph edited = EncoderGraph.of(graph.withValues(Map.of(Projection.VALUE.bias(2), changed)));
        assertThat(edited.values(Projection.VALUE.bias(2))).containsExactly(changed);
        assertThat(edited.values(Projection.KEY.bias(2))).containsExactly(graph.values(Projection.KEY.bias(2)));
        assertThat(edited.model().getGraph().getNodeList())
                .isEqualTo(graph.model().getGraph().getNodeList());
    }
}
