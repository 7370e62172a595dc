/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.io.IOException;
import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where Schema Registry framed payloads find their writer's schema: a schema id to an Avro schema. {@link
 * TextEventDeserializers#avroConfluent(String)} uses the registry's REST API; tests and users with their own client can
 * pass their own. Ids never change their schema, so callers cache every answer.
 */
@PublicEvolving
public interface WriterSchemaRegistry extends Serializable {
    /** Called once per operator instance before the first lookup. */
    default void open() throws Exception {}

    /**
     * The schema registered under {@code id}, or null when the registry has no such id (the payload is then an
     * UNDECODABLE dead letter).
     *
     * @throws IOException when the registry's answer is not a usable Avro schema (a dead letter, too)
     * @throws SystemicInputFault when the registry cannot answer at all (the task fails and restarts)
     */
    Schema schema(int id) throws IOException;
}
