/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Arguments of the project's command-line tools (quality report, benchmark): {@code --key value} pairs. */
public final class ToolArguments {
    private ToolArguments() {}

    /**
     * Applies {@code args} over {@code defaults}. Every key must be one of the defaults' keys, so a typo fails with the
     * list of known options instead of being ignored.
     *
     * @return a new map: the defaults, overridden by the arguments, in the defaults' order
     */
    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown option or missing value: " + args[i] + "; options: "
                        + options.keySet().stream().map(k -> "--" + k).toList());
            }
            options.put(key, args[++i]);
        }
        return options;
    }

    /** The first {@code limit} items, or all of them when {@code limit} is 0: what the tools' limit options mean. */
    public static <T> List<T> limit(List<T> list, int limit) {
        return limit > 0 && limit < list.size() ? list.subList(0, limit) : list;
    }
}
