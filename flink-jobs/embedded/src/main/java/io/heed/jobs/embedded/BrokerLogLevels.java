/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.embedded;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Lowers the embedded broker's own loggers to WARN. Client loggers ({@code org.apache.kafka.clients}) are left alone:
 * they belong to the job. The one shared logger silenced is {@code AbstractConfig}, which dumps every broker setting
 * (hundreds of lines, three times per start); it also dumps each client's configuration, which the demo and the tests
 * do not miss. Its warnings, such as unknown settings, still show.
 *
 * <p>Log4j 2 is {@code provided} in this module (the Flink distribution brings it), so the code that touches it sits
 * in a nested class that is only loaded once log4j-core is known to be present and active.
 */
final class BrokerLogLevels {

    /** Loggers of the broker, controller and their storage; each one has many INFO lines per startup. */
    private static final List<String> SERVER_LOGGERS = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.controller",
            "org.apache.kafka.raft",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.server",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.queue",
            "org.apache.kafka.network",
            "org.apache.kafka.common.config.AbstractConfig");

    private BrokerLogLevels() {}

    static void quietServerLoggers() {
        if (isLog4jCorePresent()) {
            Log4jCore.raiseToWarn(SERVER_LOGGERS);
        }
    }

    private static boolean isLog4jCorePresent() {
        try {
            Class.forName("org.apache.logging.log4j.core.LoggerContext", false, BrokerLogLevels.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static final class Log4jCore {
        private Log4jCore() {}

        /** Loggers that the logging configuration names explicitly keep their level: someone asked for it. */
        static void raiseToWarn(List<String> loggerNames) {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                return; // log4j-api routed elsewhere (e.g. to SLF4J/Logback): levels are not ours to set.
            }
            Configuration configuration = context.getConfiguration();
            Map<String, Level> levels = new HashMap<>();
            for (String name : loggerNames) {
                boolean configured = configuration.getLoggers().containsKey(name);
                Level effective = configuration.getLoggerConfig(name).getLevel();
                if (!configured && effective.intLevel() > Level.WARN.intLevel()) {
                    levels.put(name, Level.WARN);
                }
            }
            if (!levels.isEmpty()) {
                Configurator.setLevel(levels);
            }
        }
    }
}
