/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.jobs.config.EnrichmentJobOptions;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * SASL/SSL settings given as {@code --kafka.<property>} reach the Kafka source and both sinks unchanged, and their
 * values show up neither in the options' {@code toString()} (logged at submission), nor in the settings the operator
 * logs when it opens, nor in the job's execution plan.
 */
class KafkaCredentialsTest {
    static final String JAAS_SECRET = "jaas-pw-7f3a9c";
    static final String KEYSTORE_SECRET = "keystore-pw-b21e44";
    static final String TRUSTSTORE_SECRET = "truststore-pw-0c9d1";

    static String[] credentialArgs() {
        return new String[] {
            "--brokers",
            "broker-1:9093",
            "--input-topic",
            "in",
            "--output-topic",
            "out",
            "--dead-letter-topic",
            "dlq",
            "--kafka.security.protocol",
            "SASL_SSL",
            "--kafka.sasl.mechanism",
            "SCRAM-SHA-512",
            "--kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required" + " username=\"heed\" password=\""
                    + JAAS_SECRET + "\";",
            "--kafka.ssl.keystore.location",
            "/etc/heed/keystore.jks",
            "--kafka.ssl.keystore.password",
            KEYSTORE_SECRET,
            "--kafka.ssl.truststore.password",
            TRUSTSTORE_SECRET,
        };
    }

    @Test
    void credentialsReachTheSourceAndTheSinks() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(credentialArgs());
        for (Properties properties :
                new Properties[] {EnrichmentJob.sourceProperties(options), EnrichmentJob.sinkProperties(options)}) {
            assertThat(properties)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry(
                            "sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule"
                                    + " required username=\"heed\" password=\"" + JAAS_SECRET + "\";")
                    .containsEntry("ssl.keystore.location", "/etc/heed/keystore.jks")
                    .containsEntry("ssl.keystore.password", KEYSTORE_SECRET)
                    .containsEntry("ssl.truststore.password", TRUSTSTORE_SECRET);
        }
        // Heed's own defaults do not override what the user gave, and are added next to it.
        assertThat(EnrichmentJob.sourceProperties(options)).containsEntry("isolation.level", "read_committed");
        assertThat(EnrichmentJob.sinkProperties(options)).containsKey("transaction.timeout.ms");
    }

    @Test
    void credentialValuesAreNeverPrinted() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(credentialArgs());
        assertThat(options.toString())
                .contains("sasl.jaas.config=****", "ssl.keystore.password=****", "ssl.truststore.password=****")
                .doesNotContain(JAAS_SECRET, KEYSTORE_SECRET, TRUSTSTORE_SECRET, "ScramLoginModule");
        // The operator logs its settings when it opens ("Heed enrichment open: <model> (<device>), <settings>").
        assertThat(options.settings().toString())
                .doesNotContain(JAAS_SECRET, KEYSTORE_SECRET, TRUSTSTORE_SECRET, "ScramLoginModule");
    }

    @Test
    void theExecutionPlanDoesNotShowCredentials() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(credentialArgs());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EnrichmentJob.build(env, options);
        String plan = env.getExecutionPlan();
        assertThat(plan).contains("Heed enrichment").doesNotContain(JAAS_SECRET, KEYSTORE_SECRET, TRUSTSTORE_SECRET);
    }
}
