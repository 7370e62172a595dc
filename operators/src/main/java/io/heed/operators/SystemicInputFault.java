/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Thrown by an input deserializer when a payload cannot be read for a reason outside the payload, such as a schema
 * registry that cannot be reached. Dead-lettering would then turn the whole stream into dead letters; the enrichment
 * operator fails the task instead, so that Flink restarts it from its last checkpoint and reads the same records again
 * once the cause is gone. Any other exception of a deserializer makes that one record an UNDECODABLE dead letter.
 */
@PublicEvolving
public class SystemicInputFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SystemicInputFault(String message, Throwable cause) {
        super(message, cause);
    }

    public SystemicInputFault(String message) {
        super(message);
    }
}
