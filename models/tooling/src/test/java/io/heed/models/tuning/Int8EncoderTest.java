/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tuned fp32 weights quantised into the bundled int8 graph. */
class Int8EncoderTest {
    private static ModelProto int8;
    private static EncoderGraph fp32;

    @BeforeAll
    static void read() throws Exception {
        int8 = Int8Encoder.read(EncoderVariant.INT8.onnxFile());
        fp32 = EncoderGraph.read(EncoderVariant.FP32.onnxFile());
    }

    /**
     * Roles follow the graph, not names; the quantiser named each tensor after the fp32 initializer it came from, which
     * independently confirms the mapping: 36 int8 matrices, 3 uint8 embedding tables, 62 floats kept as they were.
     */
    @Test
    void int8RolesAgreeWithTheFp32InitializerNames() {
        QuantizedGraph graph = QuantizedGraph.of(int8);
        assertThat(graph.roles()).isEqualTo(fp32.roles());
        Map<QuantScheme, Integer> schemes = new HashMap<>();
        int kept = 0;
        for (String role : graph.roles()) {
            QuantizedGraph.Quantized q = graph.quantized(role);
            if (q == null) {
                kept++;
                assertThat(graph.initializerName(role)).isEqualTo(fp32.initializerName(role));
            } else {
                schemes.merge(q.scheme(), 1, Integer::sum);
                assertThat(q.values()).isEqualTo(fp32.initializerName(role) + "_quantized");
                assertThat(q.scale()).isEqualTo(fp32.initializerName(role) + "_scale");
            }
        }
        assertThat(schemes)
                .containsExactlyInAnyOrderEntriesOf(Map.of(QuantScheme.MATMUL_WEIGHT, 36, QuantScheme.GATHER_TABLE, 3));
        assertThat(kept).isEqualTo(62);
    }

    /**
     * Re-quantising the untuned fp32 weights reproduces the bundled int8 file exactly (measured: all 10,616,832 matrix
     * values, 11,917,824 table values, 39 scales and the whole ModelProto equal), which shows both the layout and the
     * quantisation scheme are understood.
     */
    @Test
    void requantisingTheBundledFp32WeightsReproducesTheBundledInt8Model() {
        ModelProto derived = Int8Encoder.derive(int8, fp32);
        Map<String, TensorProto> original = new HashMap<>();
        int8.getGraph().getInitializerList().forEach(t -> original.put(t.getName(), t));
        long values = 0;
        long differing = 0;
        for (TensorProto tensor : derived.getGraph().getInitializerList()) {
            TensorProto before = original.get(tensor.getName());
            if (tensor.getDataType() == TensorProto.DataType.INT8_VALUE && tensor.getDimsCount() == 2
                    || tensor.getDataType() == TensorProto.DataType.UINT8_VALUE && tensor.getDimsCount() == 2) {
                byte[] now = tensor.getRawData().toByteArray();
                byte[] then = before.getRawData().toByteArray();
                for (int i = 0; i < now.length; i++) {
                    differing += now[i] != then[i] ? 1 : 0;
                }
                values += now.length;
            } else if (tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                assertThat(EncoderGraph.floats(tensor))
                        .as(tensor.getName())
                        .containsExactly(EncoderGraph.floats(before));
            }
        }
        System.out.printf(
                "re-quantised untuned weights: %d of %d quantised values differ from the bundled file%n",
                differing, values);
        assertThat(values).as("36 matrices and 3 embedding tables").isEqualTo(10_616_832L + 11_917_824L);
        assertThat(differing).isZero();
        assertThat(derived.equals(int8))
                .as("the derived model equals the bundled one, byte for byte")
                .isTrue();
    }

    @Test
    void tunedInt8TracksTunedFp32AndCarriesThePatch(@TempDir Path dir) throws Exception {
        EncoderPatch patch = RandomPatch.of(fp32, 8, 2f, 0.02f, new Random(5));
        EncoderGraph tunedFp32 = EncoderGraph.of(PatchedEncoder.derive(fp32, patch));
        Path fp32File = PatchedEncoder.writeModel(tunedFp32.model(), dir.resolve("tuned.onnx"));
        Path int8File = PatchedEncoder.writeModel(Int8Encoder.derive(int8, tunedFp32), dir.resolve("tuned-int8.onnx"));
        List<String> texts = BertBlockParityTest.TEXTS;
        List<TokenStates> tunedFloat = encode(fp32File, texts);
        List<TokenStates> tunedInt = encode(int8File, texts);
        List<TokenStates> bundledInt = encode(EncoderVariant.INT8.onnxFile(), texts);
        List<TokenStates> bundledFloat = encode(EncoderVariant.FP32.onnxFile(), texts);

        double tracking = meanCosine(tunedInt, tunedFloat);
        double bundledTracking = meanCosine(bundledInt, bundledFloat);
        double toUntunedInt8 = meanCosine(tunedInt, bundledInt);
        double toUntunedFp32 = meanCosine(tunedInt, bundledFloat);
        System.out.printf(
                "mean token cosine: tuned int8 vs tuned fp32 %.4f (bundled int8 vs fp32 %.4f); tuned int8 vs "
                        + "untuned int8 %.4f, vs untuned fp32 %.4f; tuned vs untuned fp32 %.4f%n",
                tracking, bundledTracking, toUntunedInt8, toUntunedFp32, meanCosine(tunedFloat, bundledFloat));
        assertThat(tracking).isGreaterThanOrEqualTo(0.98);
        // Quantising the tuned weights costs about what quantising the bundled ones did (the margin allows for
        // different int8 kernels on other CPUs).
        assertThat(tracking).isGreaterThanOrEqualTo(bundledTracking - 0.005);
        // The patch took effect: the tuned int8 model is nearer the tuned fp32 model than either untuned one.
        assertThat(toUntunedInt8).isLessThan(tracking);
        assertThat(toUntunedFp32).isLessThan(tracking);
    }

    /**
     * Per-row activation quantisation replaces all 24 DynamicQuantizeLinear nodes and keeps every weight; it is
     * idempotent, and its token states are nearer the fp32 encoder's than the per-tensor graph's.
     */
    @Test
    void rowwiseActivationsKeepTheWeightsAndTrackFp32AtLeastAsWell(@TempDir Path dir) throws Exception {
        ModelProto rowwise = RowwiseActivations.apply(int8);
        assertThat(rowwise.getGraph().getNodeList())
                .noneMatch(n -> n.getOpType().equals("DynamicQuantizeLinear"));
        assertThat(int8.getGraph().getNodeList())
                .filteredOn(n -> n.getOpType().equals("DynamicQuantizeLinear"))
                .hasSize(24);
        assertThat(rowwise.getGraph().getInitializerList())
                .containsAll(int8.getGraph().getInitializerList());
        assertThat(RowwiseActivations.isRowwise(rowwise)).isTrue();
        assertThat(RowwiseActivations.apply(rowwise)).isSameAs(rowwise);

        List<String> texts = BertBlockParityTest.TEXTS;
        List<TokenStates> rows = encode(PatchedEncoder.writeModel(rowwise, dir.resolve("rowwise.onnx")), texts);
        List<TokenStates> tensor = encode(EncoderVariant.INT8.onnxFile(), texts);
        List<TokenStates> float32 = encode(EncoderVariant.FP32.onnxFile(), texts);
        double perRow = meanCosine(rows, float32);
        double perTensor = meanCosine(tensor, float32);
        System.out.printf("mean token cosine to fp32: int8 per-row %.4f, per-tensor %.4f%n", perRow, perTensor);
        assertThat(perRow).isGreaterThanOrEqualTo(perTensor);
    }

    /** The command-line tool writes exactly what the library derives, both precisions from one patch file. */
    @Test
    void mainWritesBothTunedModels(@TempDir Path dir) throws Exception {
        EncoderPatch patch = RandomPatch.of(fp32, 4, 2f, 0.02f, new Random(7));
        Path patchFile = dir.resolve("encoder-patch.bin");
        patch.write(patchFile);
        Int8Encoder.main(new String[] {
            "--patch",
            patchFile.toString(),
            "--fp32",
            dir.resolve("a/tuned.onnx").toString(),
            "--int8",
            dir.resolve("a/tuned-int8.onnx").toString()
        });
        EncoderGraph tunedFp32 = EncoderGraph.of(PatchedEncoder.derive(fp32, EncoderPatch.read(patchFile)));
        assertThat(Int8Encoder.read(dir.resolve("a/tuned.onnx")).equals(tunedFp32.model()))
                .isTrue();
        ModelProto tunedInt8 = Int8Encoder.read(dir.resolve("a/tuned-int8.onnx"));
        assertThat(tunedInt8.equals(RowwiseActivations.apply(Int8Encoder.derive(int8, tunedFp32))))
                .isTrue();
        assertThat(tunedInt8.equals(int8)).isFalse();
    }

    private static List<TokenStates> encode(Path onnx, List<String> texts) {
        try (TransformerEncoder encoder =
                TransformerEncoder.load(onnx, EncoderVariant.FP32.tokenizerFile(), "test", Windowing.of(128), 1)) {
            return encoder.encode(texts);
        }
    }

    /** Cosine of each token's state with the same token's in the other run, averaged over all tokens of all texts. */
    private static double meanCosine(List<TokenStates> a, List<TokenStates> b) {
        double sum = 0;
        int tokens = 0;
        for (int i = 0; i < a.size(); i++) {
            TokenStates x = a.get(i);
            TokenStates y = b.get(i);
            assertThat(x.length()).isEqualTo(y.length());
            for (int t = 0; t < x.length(); t++) {
                double dot = 0;
                double xx = 0;
                double yy = 0;
                for (int d = 0; d < x.hiddenSize(); d++) {
                    dot += x.state(t, d) * y.state(t, d);
                    xx += x.state(t, d) * x.state(t, d);
                    yy += y.state(t, d) * y.state(t, d);
                }
                sum += dot / Math.sqrt(xx * yy);
                tokens++;
            }
        }
        return sum / tokens;
    }
}
