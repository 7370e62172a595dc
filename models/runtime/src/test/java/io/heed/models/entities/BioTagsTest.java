/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BioTagsTest {
    private static final List<String> LABELS = BioTags.CONLL_LABELS;

    @Test
    void viterbiNeverStartsWithIOrPutsIAfterOOrAnotherType() {
        // Per word, the locally best tags would be: I-PER, O, I-LOC, B-ORG, I-PER.
        float[] log = logProbabilities(new String[][] {
            {"I-PER", "B-PER"}, {"O", "I-PER"}, {"I-LOC", "B-LOC"}, {"B-ORG", "O"}, {"I-PER", "I-ORG"}
        });

        List<String> tags = names(BioTags.viterbi(log, LABELS));

        assertThat(tags).containsExactly("B-PER", "O", "B-LOC", "B-ORG", "I-ORG");
        assertValid(tags);
    }

    @Test
    void learnedTransitionScoresJoinWordsThatEmissionsAloneWouldSplit() {
        // Each word alone looks like the start of a person ("Angela", "Merkel"); the CRF's B-PER -> I-PER score joins
        // them.
        float[] emissions = logProbabilities(new String[][] {{"B-PER", "I-PER"}, {"B-PER", "I-PER"}});
        float[] transitions = new float[LABELS.size() * LABELS.size()];
        transitions[LABELS.indexOf("B-PER") * LABELS.size() + LABELS.indexOf("I-PER")] = 2f;
        float[] none = new float[LABELS.size()];

        assertThat(names(BioTags.viterbi(emissions, LABELS))).containsExactly("B-PER", "B-PER");
        assertThat(names(BioTags.viterbi(emissions, LABELS, transitions, none, none)))
                .containsExactly("B-PER", "I-PER");
    }

    @Test
    void decodedSequencesAlwaysObeyTheConstraints() {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int words = 1 + random.nextInt(12);
            float[] log = new float[words * LABELS.size()];
            for (int i = 0; i < log.length; i++) {
                log[i] = (float) (-5 * random.nextDouble());
            }
            assertValid(names(BioTags.viterbi(log, LABELS)));
        }
        assertThat(BioTags.viterbi(new float[0], LABELS)).isEmpty();
    }

    @Test
    void chunksFollowConllevalRules() {
        List<BioTags.Chunk> chunks =
                BioTags.chunks(List.of("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "O", "B-MISC"));

        assertThat(chunks)
                .containsExactly(
                        new BioTags.Chunk("PER", 0, 2),
                        new BioTags.Chunk("LOC", 3, 4),
                        new BioTags.Chunk("LOC", 4, 5),
                        new BioTags.Chunk("ORG", 5, 7),
                        new BioTags.Chunk("MISC", 8, 9));
    }

    /** Log-probabilities where each word's first listed tag is best and its second is a close runner-up. */
    private static float[] logProbabilities(String[][] preferences) {
        float[] log = new float[preferences.length * LABELS.size()];
        java.util.Arrays.fill(log, -10f);
        for (int w = 0; w < preferences.length; w++) {
            log[w * LABELS.size() + LABELS.indexOf(preferences[w][0])] = -0.1f;
            log[w * LABELS.size() + LABELS.indexOf(preferences[w][1])] = -1f;
        }
        return log;
    }

    private static List<String> names(int[] tags) {
        List<String> names = new ArrayList<>();
        for (int tag : tags) {
            names.add(LABELS.get(tag));
        }
        return names;
    }

    static void assertValid(List<String> tags) {
        for (int w = 0; w < tags.size(); w++) {
            String tag = tags.get(w);
            if (tag.startsWith("I-")) {
                assertThat(w).as("I- at the start of %s", tags).isPositive();
                String previous = tags.get(w - 1);
                assertThat(previous)
                        .as("tag before %s in %s", tag, tags)
                        .isNotEqualTo("O")
                        .endsWith(tag.substring(2));
            }
        }
    }
}
