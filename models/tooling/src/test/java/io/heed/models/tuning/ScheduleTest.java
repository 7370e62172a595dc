/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void everyExampleOncePerEpochInSeededOrder() {
        int[] sentiment = new Random(1).ints(70, 3, 60).toArray();
        int[] entities = new Random(2).ints(33, 3, 90).toArray();
        int[] chunks = new Random(3).ints(21, 40, 250).toArray();
        List<Schedule.Step> steps = Schedule.steps(sentiment, 8, entities, 4, chunks, 4, 2, new Random(42));

        assertThat(steps).hasSize(2 * (9 + 9 + 6));
        List<Schedule.Step> firstEpoch = steps.subList(0, 24);
        assertThat(examples(firstEpoch, Schedule.Task.SENTIMENT))
                .containsExactly(IntStream.range(0, 70).toArray());
        assertThat(examples(firstEpoch, Schedule.Task.ENTITIES))
                .containsExactly(IntStream.range(0, 33).toArray());
        assertThat(examples(firstEpoch, Schedule.Task.SENTENCES))
                .containsExactly(IntStream.range(0, 21).toArray());
        // The same seed gives the same order (what --resume relies on); tasks are interleaved, not in blocks.
        List<Schedule.Step> again = Schedule.steps(sentiment, 8, entities, 4, chunks, 4, 2, new Random(42));
        for (int i = 0; i < steps.size(); i++) {
            assertThat(again.get(i).task()).isEqualTo(steps.get(i).task());
            assertThat(again.get(i).examples()).containsExactly(steps.get(i).examples());
        }
        assertThat(firstEpoch.subList(0, 9))
                .anyMatch(s -> s.task() == Schedule.Task.ENTITIES)
                .anyMatch(s -> s.task() == Schedule.Task.SENTIMENT);
    }

    @Test
    void withoutChunksTheOrderIsThatOfTwoTasks() {
        int[] sentiment = new Random(1).ints(70, 3, 60).toArray();
        int[] entities = new Random(2).ints(33, 3, 90).toArray();
        List<Schedule.Step> steps = Schedule.steps(sentiment, 8, entities, 4, new int[0], 4, 2, new Random(42));
        assertThat(steps).hasSize(2 * (9 + 9)).noneMatch(s -> s.task() == Schedule.Task.SENTENCES);
    }

    private static int[] examples(List<Schedule.Step> steps, Schedule.Task task) {
        return steps.stream()
                .filter(s -> s.task() == task)
                .flatMapToInt(s -> IntStream.of(s.examples()))
                .sorted()
                .toArray();
    }

    @Test
    void rateWarmsUpLinearlyThenDecaysToZero() {
        assertThat(Schedule.rateFactor(0, 10, 100)).isEqualTo(0.1f);
        assertThat(Schedule.rateFactor(9, 10, 100)).isEqualTo(1f);
        assertThat(Schedule.rateFactor(10, 10, 100)).isEqualTo(1f);
        assertThat(Schedule.rateFactor(55, 10, 100)).isEqualTo(0.5f);
        assertThat(Schedule.rateFactor(99, 10, 100)).isCloseTo(1f / 90, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
