/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;

/**
 * How option values read on the command line: the same rendering serves help, error messages and toString, so what
 * the user sees can be typed back in.
 */
final class OptionValues {

    private OptionValues() {}

    /** A value as it would be written on the command line: {@code 50 ms}, {@code 1 mb}, {@code avro}. */
    static String render(Object value) {
        if (value instanceof Duration duration) {
            return TimeUtils.formatWithHighestUnit(duration);
        }
        if (value instanceof Enum<?> constant) {
            // Flink parses an enum option by its toString(), ignoring case (e.g. bge-small, not bge_small).
            return constant.toString().toLowerCase(Locale.ROOT);
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(OptionValues::render).collect(java.util.stream.Collectors.joining(","));
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "(none)";
        }
        return String.valueOf(value);
    }

    /** What a value of the option's type looks like, for "expected ..." in error messages. */
    static String expected(ConfigOption<?> option) {
        Object sample = option.defaultValue();
        if (sample instanceof Integer) {
            return "an integer";
        }
        if (sample instanceof Boolean) {
            return "true or false";
        }
        if (sample instanceof Duration) {
            return "a duration such as '50 ms', '10 s' or '1 min'";
        }
        if (sample instanceof MemorySize) {
            return "a size in bytes such as '1048576', '512 kb' or '1 mb'";
        }
        if (sample instanceof Enum<?> constant) {
            return "one of " + choices(constant.getDeclaringClass());
        }
        if (sample instanceof java.util.List<?> list && !list.isEmpty() && list.get(0) instanceof Enum<?> constant) {
            return "a comma-separated list of " + choices(constant.getDeclaringClass());
        }
        return "a string";
    }

    /** The accepted values of an enum option, comma-separated, or empty for other options. */
    static String choicesOf(ConfigOption<?> option) {
        Object sample = option.defaultValue();
        if (sample instanceof java.util.List<?> list && !list.isEmpty()) {
            sample = list.get(0);
        }
        return sample instanceof Enum<?> constant ? choices(constant.getDeclaringClass()) : "";
    }

    private static String choices(Class<?> enumClass) {
        return Arrays.stream(enumClass.getEnumConstants())
                .map(OptionValues::render)
                .collect(Collectors.joining(", "));
    }
}
