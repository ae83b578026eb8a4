package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.durable.CodeVersion;

import com.contoso.sitebackup.Functions;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.RecordingContext;

import com.azure.storage.blob.BlobServiceClient;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.TaskOrchestrationContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The function app's orchestrators and activities, every one from {@link Functions}, wired into a
 * {@link DurableHarness} through the app's own composition root ({@link AppServices}).
 */
public final class BackupApp {
    /** The manifest container the harness uses, as the app's default. */
    public static final String MANIFEST_CONTAINER = "backup-manifests";

    private BackupApp() {
    }

    /**
     * A harness (host.json's settings, {@code faults}) running this app against {@code blobs}, allowing backups
     * to read and restores to write under {@code allowedRoot}, with batches of at most {@code batchFiles} files.
     */
    public static DurableHarness harness(BlobServiceClient blobs, Path allowedRoot, int batchFiles,
                                         DurableHarness.Faults faults) {
        return register(new DurableHarness(Path.of("host.json"), faults), services(blobs, allowedRoot, batchFiles),
                new RecordingContext("harness"));
    }

    /** The app's services around {@code blobs}, with {@code allowedRoot} as read and write root. */
    public static AppServices services(BlobServiceClient blobs, Path allowedRoot, int batchFiles) {
        return AppServices.of(Settings.of(Map.of(
                Settings.BACKUP_READ_ROOTS, allowedRoot.toString(),
                Settings.BACKUP_WRITE_ROOTS, allowedRoot.toString(),
                Settings.BACKUP_MANIFEST_CONTAINER, MANIFEST_CONTAINER,
                Settings.BACKUP_BATCH_FILES, Integer.toString(batchFiles))), blobs);
    }

    /**
     * Registers every orchestrator and activity of {@link Functions} on {@code harness}, built from
     * {@code services}; an orchestrator that takes an {@link ExecutionContext} is given {@code context}, so its
     * log lines (the completion events) can be read from there.
     */
    public static DurableHarness register(DurableHarness harness, AppServices services, ExecutionContext context) {
        for (Class<?> type : Functions.ORCHESTRATORS) {
            Method run = functionMethod(type);
            harness.orchestrator(run.getAnnotation(FunctionName.class).value(),
                    (OrchestratorFunction<Object>) ctx -> invoke(type, run, ctx, context));
        }
        for (Class<?> type : Functions.ACTIVITIES) {
            try {
                harness.activity(type.getConstructor(AppServices.class).newInstance(services));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " needs a public constructor taking AppServices", e);
            }
        }
        return harness;
    }

    private static Method functionMethod(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(FunctionName.class)).findFirst()
                .orElseThrow(() -> new IllegalStateException(type.getName() + " has no @FunctionName method"));
    }

    /** Calls {@code run} as the worker does: the trigger's context, and the invocation's ExecutionContext if asked for. */
    private static Object invoke(Class<?> type, Method run, TaskOrchestrationContext ctx, ExecutionContext context) {
        Object[] arguments = Arrays.stream(run.getParameterTypes())
                .map(parameter -> parameter == ExecutionContext.class ? context : ctx).toArray();
        try {
            return run.invoke(type.getConstructor().newInstance(), arguments);
        } catch (InvocationTargetException e) {
            // The orchestrator's own exception, SDK control flow included, goes to the engine as it is.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + type.getName(), e);
        }
    }

    /** A backup of {@code root} to {@code container}, with the starter's defaults filled in. */
    public static BackupRequest request(Path root, String container) {
        return BackupRequest.of(root.toAbsolutePath().normalize().toString()).withDefaults(container)
                .withCodeVersion(CodeVersion.CURRENT);
    }
}
