/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * How option values are written and read, the same for the job's command line and options file and for SQL's
 * {@code WITH} clause: one rendering serves help, error messages and {@code toString}, so what a user sees can be typed
 * back in, and one error message names the option and what it expects.
 */
@Internal
public final class OptionValues {

    private OptionValues() {}

    /**
     * Written values as Flink reads them. A list may be written comma-separated ({@code tasks: sentiment,entities},
     * as on a command line or in SQL); Flink's own list syntax ({@code [a, b]} or {@code a;b}) is kept as it is.
     */
    public static Map<String, String> normalize(Map<String, String> written, List<ConfigOption<?>> options) {
        Map<String, String> values = new LinkedHashMap<>(written);
        for (ConfigOption<?> option : options) {
            String raw = values.get(option.key());
            if (option.defaultValue() instanceof List<?>
                    && raw != null
                    && !raw.strip().startsWith("[")
                    && !raw.contains(";")) {
                values.put(option.key(), "[" + raw + "]");
            }
        }
        return values;
    }

    /**
     * The option's value, or its default when unset.
     *
     * @throws IllegalArgumentException naming the option and what it expects, when the value does not parse
     */
    public static <T> T read(ReadableConfig config, ConfigOption<T> option) {
        try {
            return config.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    message(option, config.toMap().get(option.key()), "expected " + expected(option)), e);
        }
    }

    /** The error for a value that parsed but is not allowed, naming the option. */
    public static IllegalArgumentException invalid(ConfigOption<?> option, Object value, String reason) {
        return new IllegalArgumentException(message(option, render(value), reason));
    }

    private static String message(ConfigOption<?> option, String rawValue, String reason) {
        return "Invalid value '" + rawValue + "' for " + option.key() + ": " + reason;
    }

    /** A value as it would be written: {@code 50 ms}, {@code 1 mb}, {@code avro}, {@code sentiment,entities}. */
    public static String render(Object value) {
        if (value instanceof Duration duration) {
            return TimeUtils.formatWithHighestUnit(duration);
        }
        if (value instanceof Enum<?> constant) {
            // Flink parses an enum option by its toString(), ignoring case (e.g. bge-small, not bge_small).
            return constant.toString().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(OptionValues::render).collect(Collectors.joining(","));
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "(none)";
        }
        return String.valueOf(value);
    }

    /** What a value of the option's type looks like, for "expected ..." in error messages. */
    public static String expected(ConfigOption<?> option) {
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
        if (sample instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Enum<?> constant) {
            return "a comma-separated list of " + choices(constant.getDeclaringClass());
        }
        return "a string";
    }

    /** The accepted values of an enum option, comma-separated, or empty for other options. */
    public static String choicesOf(ConfigOption<?> option) {
        Object sample = option.defaultValue();
        if (sample instanceof List<?> list && !list.isEmpty()) {
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
