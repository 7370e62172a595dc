/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.InferenceDevice;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    private static ExternalResourceInfo gpu(Map<String, String> properties) {
        return new ExternalResourceInfo() {
            @Override
            public Optional<String> getProperty(String key) {
                return Optional.ofNullable(properties.get(key));
            }

            @Override
            public Collection<String> getKeys() {
                return properties.keySet();
            }
        };
    }

    private static List<ExternalResourceInfo> gpus(String... indices) {
        return java.util.Arrays.stream(indices)
                .map(index -> gpu(Map.of("index", index)))
                .toList();
    }

    @Test
    void autoWithoutAssignedGpusRunsOnTheCpu() {
        assertThat(DeviceSelection.select(DevicePreference.AUTO, List.of(), 3)).isEqualTo(InferenceDevice.cpu());
    }

    @Test
    void cpuIgnoresAssignedGpus() {
        assertThat(DeviceSelection.select(DevicePreference.CPU, gpus("0", "1"), 0))
                .isEqualTo(InferenceDevice.cpu());
    }

    @Test
    void autoSpreadsSubtasksOverTheAssignedGpusInIndexOrderAndMayFallBack() {
        // Flink hands the infos over as a set: order must not depend on it.
        List<InferenceDevice> chosen = IntStream.range(0, 5)
                .mapToObj(subtask -> DeviceSelection.select(DevicePreference.AUTO, gpus("3", "1"), subtask))
                .toList();
        assertThat(chosen)
                .containsExactly(
                        InferenceDevice.gpuOrCpu(1),
                        InferenceDevice.gpuOrCpu(3),
                        InferenceDevice.gpuOrCpu(1),
                        InferenceDevice.gpuOrCpu(3),
                        InferenceDevice.gpuOrCpu(1));
        assertThat(chosen.get(0).cpuFallback()).isTrue();
    }

    @Test
    void gpuPreferenceRequiresTheGpu() {
        InferenceDevice device = DeviceSelection.select(DevicePreference.GPU, gpus(" 2 "), 7);
        assertThat(device).isEqualTo(InferenceDevice.gpu(2));
        assertThat(device.cpuFallback()).isFalse();
        assertThat(device.toString()).isEqualTo("gpu:2");
    }

    @Test
    void gpuPreferenceWithoutAssignedGpusFailsNamingTheFlinkSettings() {
        assertThatThrownBy(() -> DeviceSelection.select(DevicePreference.GPU, List.of(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--device gpu")
                .hasMessageContaining("external-resources: gpu")
                .hasMessageContaining("GPUDriverFactory");
    }

    @Test
    void duplicateIndicesCountOnce() {
        assertThat(DeviceSelection.gpuIndices(gpus("1", "0", "1"))).containsExactly(0, 1);
    }

    @Test
    void malformedResourcesFailClearly() {
        assertThatThrownBy(() -> DeviceSelection.select(DevicePreference.AUTO, List.of(gpu(Map.of("uuid", "x"))), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no 'index' property");
        assertThatThrownBy(() -> DeviceSelection.select(DevicePreference.AUTO, gpus("gpu0"), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'gpu0'");
    }
}
