/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heed.models.HeadFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned scorer's file format, arithmetic and features, without the encoder. */
class SummaryScorerFileTest {
    private static final int HIDDEN_SIZE = 6;

    /** A scorer with random weights over the hand features plus a {@code content}-wide sentence vector. */
    static SentenceScorer randomScorer(int hidden, boolean content, long seed) {
        Random random = new Random(seed);
        int width = SentenceFeatures.width(content, HIDDEN_SIZE);
        float[] mean = new float[width];
        float[] std = new float[width];
        for (int k = 0; k < width; k++) {
            mean[k] = (float) random.nextGaussian();
            std[k] = 0.5f + random.nextFloat();
        }
        float[] w1 = new float[hidden == 0 ? width : hidden * width];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) random.nextGaussian();
        }
        float[] b1 = new float[hidden];
        float[] w2 = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            b1[h] = (float) random.nextGaussian();
            w2[h] = (float) random.nextGaussian();
        }
        return new SentenceScorer(content, width, hidden, mean, std, w1, b1, w2, 0.25f, null);
    }

    private static double[][] randomFeatures(int rows, int width, long seed) {
        Random random = new Random(seed);
        double[][] features = new double[rows][width];
        for (double[] row : features) {
            for (int k = 0; k < width; k++) {
                row[k] = random.nextGaussian();
            }
        }
        return features;
    }

    @Test
    void aScorerFileRoundTripsToTheSameScores(@TempDir Path dir) throws IOException {
        for (int hidden : new int[] {0, 4}) {
            for (boolean content : new boolean[] {false, true}) {
                SentenceScorer scorer = randomScorer(hidden, content, 7 + hidden);
                byte[] bytes = scorer.toHeadFile().toBytes();
                Path file = dir.resolve("scorer-" + hidden + "-" + content + ".bin");
                Files.write(file, bytes);

                SentenceScorer read = SentenceScorer.read(file);
                assertThat(read.content()).isEqualTo(content);
                assertThat(read.hidden()).isEqualTo(hidden);
                assertThat(read.width()).isEqualTo(scorer.width());
                assertThat(read.sha256()).isEqualTo(io.heed.models.Sha256.hex(bytes));
                double[][] features = randomFeatures(9, scorer.width(), 3);
                assertThat(read.score(features)).containsExactly(scorer.score(features), within(1e-9));
                assertThat(read.toString()).contains(hidden == 0 ? "linear" : "mlp 4");
            }
        }
    }

    @Test
    void scoresAreTheDocumentedFormula() {
        SentenceScorer linear = randomScorer(0, false, 11);
        HeadFile file = linear.toHeadFile();
        float[] mean = file.tensors().get("mean").values();
        float[] std = file.tensors().get("std").values();
        float[] w = file.tensors().get("w").values();
        double[] x = randomFeatures(1, linear.width(), 5)[0];
        double expected = file.tensors().get("b").values()[0];
        for (int k = 0; k < x.length; k++) {
            expected += w[k] * (x[k] - mean[k]) / std[k];
        }
        assertThat(linear.score(new double[][] {x})[0]).isCloseTo(expected, within(1e-9));

        SentenceScorer mlp = randomScorer(3, false, 12);
        HeadFile mlpFile = mlp.toHeadFile();
        float[] w1 = mlpFile.tensors().get("w1").values();
        float[] b1 = mlpFile.tensors().get("b1").values();
        float[] w2 = mlpFile.tensors().get("w2").values();
        float[] m = mlpFile.tensors().get("mean").values();
        float[] s = mlpFile.tensors().get("std").values();
        double y = mlpFile.tensors().get("b2").values()[0];
        for (int h = 0; h < 3; h++) {
            double a = b1[h];
            for (int k = 0; k < x.length; k++) {
                a += w1[h * x.length + k] * (x[k] - m[k]) / s[k];
            }
            y += w2[h] * Math.max(0, a);
        }
        assertThat(mlp.score(new double[][] {x})[0]).isCloseTo(y, within(1e-9));
    }

    @Test
    void aFileForOtherFeaturesOrAnotherFormatFailsAtLoadNamingIt() throws IOException {
        HeadFile good = randomScorer(0, false, 1).toHeadFile();
        List<String> renamed = new ArrayList<>(good.labels());
        renamed.set(0, "something_else");
        byte[] otherFeatures = new HeadFile(good.format(), renamed, good.tensors()).toBytes();
        assertThatThrownBy(() -> SentenceScorer.fromBytes(otherFeatures, "old.bin"))
                .hasMessageContaining("old.bin")
                .hasMessageContaining("something_else");

        byte[] otherFormat = new HeadFile("heed-sentiment-attention-v1", good.labels(), good.tensors()).toBytes();
        assertThatThrownBy(() -> SentenceScorer.fromBytes(otherFormat, "sentiment.bin"))
                .hasMessageContaining("sentiment.bin")
                .hasMessageContaining("format");

        Map<String, HeadFile.Tensor> noWeights = new LinkedHashMap<>(good.tensors());
        noWeights.remove("w");
        byte[] missing = new HeadFile(good.format(), good.labels(), noWeights).toBytes();
        assertThatThrownBy(() -> SentenceScorer.fromBytes(missing, "missing.bin"))
                .hasMessageContaining("missing.bin");
    }

    @Test
    void aScorerRejectsRowsOfTheWrongWidth() {
        SentenceScorer scorer = randomScorer(2, true, 4);
        assertThatThrownBy(() -> scorer.score(new double[1][SentenceFeatures.NAMES.size() + 3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentence vectors of width 6");
    }

    @Test
    void handFeaturesDescribePositionLengthAndCentrality() {
        String text = "Alpha beta gamma. Delta epsilon. Zeta eta theta iota kappa.";
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);
        float[][] vectors = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 0, 1}};
        SentenceVectors sv = new SentenceVectors(vectors, new int[] {4, 3, 6});
        double[][] f = SentenceFeatures.of(text, spans, sv, List.of(0, 1, 2), true);
        assertThat(f).hasNumberOfRows(3);
        assertThat(f[0]).hasSize(SentenceFeatures.NAMES.size() + 3);
        int inv = SentenceFeatures.NAMES.indexOf("inv_position");
        int first = SentenceFeatures.NAMES.indexOf("first");
        int words = SentenceFeatures.NAMES.indexOf("log_words");
        int relWords = SentenceFeatures.NAMES.indexOf("rel_words");
        int centrality = SentenceFeatures.NAMES.indexOf("centrality");
        int cosFirst = SentenceFeatures.NAMES.indexOf("cos_first");
        assertThat(f[1][inv]).isEqualTo(0.5);
        assertThat(f[0][first]).isEqualTo(1.0);
        assertThat(f[2][first]).isEqualTo(0.0);
        assertThat(f[2][words]).isCloseTo(Math.log(6), within(1e-12));
        assertThat(f[2][relWords]).isEqualTo(1.0);
        assertThat(f[0][cosFirst]).isCloseTo(1.0, within(1e-9));
        // The two similar sentences receive more attention than the outlier.
        assertThat(f[2][centrality]).isEqualTo(0.0);
        assertThat(f[0][centrality]).isGreaterThan(0.9);
        // The sentence vector itself is copied after the hand features.
        assertThat(f[2][SentenceFeatures.NAMES.size() + 2]).isEqualTo(1.0);
        // Attention received and the lexical rank both average 1 over the candidates.
        int lexical = SentenceFeatures.NAMES.indexOf("lexical_rank");
        assertThat(f[0][lexical] + f[1][lexical] + f[2][lexical]).isCloseTo(3.0, within(1e-9));
    }
}
