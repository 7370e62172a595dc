/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void minimisesAQuadraticAndClearsGradientsEvenWhenNaN() {
        try (Model model = Model.newInstance("adamw", "PyTorch")) {
            NDManager manager = model.getNDManager();
            Parameter w = Parameter.builder()
                    .setName("w")
                    .setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(3))
                    .optInitializer(Initializer.ONES)
                    .build();
            w.initialize(manager, DataType.FLOAT32);
            NDArray target = manager.create(new float[] {0.5f, -1f, 2f});
            List<AdamW.Group> groups = List.of(new AdamW.Group("g/", List.of(w), 0.05f, 0f));
            AdamW optimizer = new AdamW(manager);
            for (int i = 0; i < 300; i++) {
                backward(() -> w.getArray().sub(target).square().sum());
                optimizer.step(groups, 1f, 1f);
            }
            assertThat(w.getArray().toFloatArray())
                    .usingComparatorWithPrecision(0.05f)
                    .containsExactly(0.5f, -1f, 2f);

            backward(() -> w.getArray().mul(Float.NaN).sum());
            assertThat(Double.isNaN(optimizer.gradientNorm(groups))).isTrue();
            assertThat(AdamW.clearNonFinite(groups)).containsExactly("g/w");
            assertThat(optimizer.gradientNorm(groups)).isZero();
            // The next backward pass accumulates onto clean zeros.
            backward(() -> w.getArray().sum());
            assertThat(optimizer.gradientNorm(groups))
                    .isCloseTo(Math.sqrt(3), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void stateRestoresIntoAFreshOptimizer() {
        try (Model model = Model.newInstance("adamw-state", "PyTorch")) {
            NDManager manager = model.getNDManager();
            Parameter w = Parameter.builder()
                    .setName("w")
                    .setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(2))
                    .optInitializer(Initializer.ONES)
                    .build();
            w.initialize(manager, DataType.FLOAT32);
            List<AdamW.Group> groups = List.of(new AdamW.Group("g/", List.of(w), 0.1f, 0.01f));
            AdamW first = new AdamW(manager);
            backward(() -> w.getArray().square().sum());
            first.step(groups, 1f, 1f);
            AdamW second = new AdamW(manager);
            second.restore(first.state());
            assertThat(second.state().tensors().keySet())
                    .containsExactlyElementsOf(first.state().tensors().keySet());
            for (String name : first.state().tensors().keySet()) {
                assertThat(second.state().tensors().get(name).values())
                        .containsExactly(first.state().tensors().get(name).values());
            }
        }
    }

    /** Computes the loss with gradient recording on (inside the collector), then runs backward. */
    private static void backward(java.util.function.Supplier<NDArray> loss) {
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            collector.backward(loss.get());
        }
    }
}
