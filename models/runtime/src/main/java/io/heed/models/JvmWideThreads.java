/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.PrivilegedAction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the threads and shutdown hooks that libraries create once per JVM, so that they do not keep a Flink job's
 * class loader alive after the job has ended.
 *
 * <p>Why: a {@link Thread} keeps, from its construction on, the context class loader of the thread that created it
 * and (Java 17 and 21) the protection domains of every class on the creating thread's stack
 * ({@code Thread.inheritedAccessControlContext}); each protection domain references its class loader. The engine
 * classes sit in Flink's {@code lib/} and the JDK's in the JVM, so their one-per-JVM threads and hooks outlive every
 * job, and they are created lazily by whichever caller comes first: ONNX Runtime's shutdown hook (made with its
 * environment), JNA's cleaner thread (first started by DJL's CUDA probe) and the JDK's {@code CompletableFuture}
 * delay thread (behind {@code orTimeout}). Created under a Heed operator, each kept that job's class loader, and the
 * ~3,000 classes it loaded, reachable for the TaskManager's lifetime (ClassLoaderLeakIT found all three).
 *
 * <p>So they are started here with no Heed class on the stack: the call runs inside {@code Subject.doAsPrivileged},
 * whose privileged frame cuts the stack walk off below it (its caller is a JDK class), through a JDK proxy of the
 * method handle (no lambda of ours above it either), with the library's class loader as context class loader. Only
 * the first call in a JVM creates anything; every job still makes the calls once (these flags live in the job's own
 * class loader), as Heed cannot tell which job of a TaskManager came first.
 */
public final class JvmWideThreads {
    private static final Logger LOG = LoggerFactory.getLogger(JvmWideThreads.class);
    private static final String ENGINE = "OnnxRuntime";
    // Guarded by the class: a second caller waits until the first has started them, rather than go on and create
    // them itself under its own stack (operators of one job open in parallel).
    private static boolean engineStarted;
    private static boolean delayerStarted;

    private JvmWideThreads() {}

    /**
     * ONNX Runtime's environment (and its shutdown hook) and DJL's CUDA probe (and JNA's cleaner thread). Does nothing
     * when DJL is loaded by the same class loader as Heed (engine jars inside the job jar rather than in Flink's
     * {@code lib/}): those threads then belong to the job whatever the stack, which is one reason the deployment guide
     * puts the engine in {@code lib/}.
     */
    public static synchronized void startEngineThreads() {
        ClassLoader engineLoader = Engine.class.getClassLoader();
        if (engineStarted || engineLoader == JvmWideThreads.class.getClassLoader()) {
            return;
        }
        engineStarted = true;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            callWithoutCallerOnStack(
                    MethodHandles.insertArguments(
                            lookup.findStatic(
                                    Engine.class, "getEngine", MethodType.methodType(Engine.class, String.class)),
                            0,
                            ENGINE),
                    engineLoader);
            callWithoutCallerOnStack(
                    lookup.findStatic(CudaUtils.class, "getGpuCount", MethodType.methodType(int.class)), engineLoader);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not fatal here: the model load that follows reports a missing or broken engine with its own message.
            LOG.debug("Could not start the engine's JVM-wide threads outside the job", e);
        }
    }

    /**
     * The JDK's single {@code CompletableFuture} delay thread, which runs every {@code orTimeout} and
     * {@code delayedExecutor} in the JVM and never ends once started.
     */
    public static synchronized void startCompletableFutureDelayer() {
        if (delayerStarted) {
            return;
        }
        delayerStarted = true;
        try {
            // A delay of zero still goes through the delay thread; the no-op runs on it and is gone.
            Executor delayed = CompletableFuture.delayedExecutor(0, TimeUnit.NANOSECONDS, Runnable::run);
            MethodHandle execute = MethodHandles.publicLookup()
                    .findVirtual(Executor.class, "execute", MethodType.methodType(void.class, Runnable.class));
            Runnable noOp = () -> {}; // only data here: not on the stack when the thread is created
            callWithoutCallerOnStack(
                    MethodHandles.insertArguments(execute, 0, delayed, noOp), ClassLoader.getSystemClassLoader());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not start the CompletableFuture delay thread outside the job", e);
        }
    }

    /** Calls {@code call} (no arguments) with no frame of the caller's classes on the stack, under {@code context}. */
    @SuppressWarnings({"removal", "unchecked"}) // Subject.doAsPrivileged: deprecated, still works on 17 and 21
    private static void callWithoutCallerOnStack(MethodHandle call, ClassLoader context) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(context);
        try {
            // Made under the new context class loader: for an interface of the JDK, that is where the JDK defines
            // the proxy class, so it is not one of the job's classes either.
            PrivilegedAction<Object> action = MethodHandleProxies.asInterfaceInstance(
                    PrivilegedAction.class, call.asType(MethodType.methodType(Object.class)));
            Subject.doAsPrivileged(null, action, null);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
