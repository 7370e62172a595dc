/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.InferenceDevice;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * Picks the device for one parallel instance from the GPUs Flink assigned to its TaskManager.
 *
 * <p>Flink's GPU driver assigns GPUs per TaskManager, not per slot: every slot sees the same indices. Instances are
 * spread over them by subtask index, so with two GPUs and four slots each GPU serves two slots; instances on the same
 * GPU share one loaded model ({@link SharedModel} is keyed by the model spec, device included).
 */
final class DeviceSelection {
    /** The external resource name Heed reads, as in {@code external-resources: gpu}. */
    static final String GPU_RESOURCE = "gpu";
    /** The property Flink's GPU driver sets on each {@link ExternalResourceInfo}. */
    private static final String INDEX_PROPERTY = "index";

    private DeviceSelection() {}

    /**
     * The device for subtask {@code subtaskIndex}.
     *
     * @param gpus the {@value #GPU_RESOURCE} resources Flink assigned to this TaskManager (may be empty)
     * @throws IllegalStateException when a GPU is required but none was assigned, or an index is malformed
     */
    static InferenceDevice select(
            DevicePreference preference, Collection<ExternalResourceInfo> gpus, int subtaskIndex) {
        if (preference == DevicePreference.CPU) {
            return InferenceDevice.cpu();
        }
        List<Integer> indices = gpuIndices(gpus);
        if (indices.isEmpty()) {
            if (preference == DevicePreference.GPU) {
                throw new IllegalStateException("Heed was asked to run on a GPU (--device gpu) but this TaskManager"
                        + " has none assigned. Configure Flink's GPU external resource on the TaskManager:"
                        + " external-resources: gpu, external-resource.gpu.amount: 1,"
                        + " external-resource.gpu.driver-factory.class:"
                        + " org.apache.flink.externalresource.gpu.GPUDriverFactory");
            }
            return InferenceDevice.cpu();
        }
        int gpu = indices.get(Math.floorMod(subtaskIndex, indices.size()));
        return preference == DevicePreference.GPU ? InferenceDevice.gpu(gpu) : InferenceDevice.gpuOrCpu(gpu);
    }

    /** The assigned GPU indices, sorted and without duplicates, so every instance sees the same order. */
    static List<Integer> gpuIndices(Collection<ExternalResourceInfo> gpus) {
        TreeSet<Integer> indices = new TreeSet<>();
        for (ExternalResourceInfo info : gpus) {
            Optional<String> index = info.getProperty(INDEX_PROPERTY);
            if (index.isEmpty()) {
                throw new IllegalStateException("A '" + GPU_RESOURCE + "' external resource has no '"
                        + INDEX_PROPERTY + "' property (properties: " + info.getKeys() + "); is the driver Flink's"
                        + " GPUDriverFactory?");
            }
            try {
                indices.add(Integer.parseInt(index.get().strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "GPU index '" + index.get() + "' reported by Flink's GPU driver is" + " not a number", e);
            }
        }
        return List.copyOf(indices);
    }
}
