package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.standin.stack.WorkerJvm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The app settings a benchmark run gives the app beyond its storage and roots: {@code BACKUP_BATCH_FILES} and
 * {@code BACKUP_BATCH_MIB} from this process's environment when set ({@link BatchSizeSweep} varies them), the app's
 * defaults otherwise; and {@code JAVA_OPTS} as the project ships it in local.settings.json, so the app's worker JVM
 * (the bridge, or the JVM that runs the app in process) starts as a deployed worker does ({@link WorkerJvm}). The
 * sidecar engine passes them to the bridge's app settings, the harness engine to its services and its JVM.
 */
final class BenchSettings {
    private BenchSettings() {
    }

    /** Files per batch for the harness engine. */
    static int batchFiles() {
        String value = System.getenv(Settings.BACKUP_BATCH_FILES);
        return value == null || value.isBlank() ? Settings.DEFAULT_BATCH_FILES : Integer.parseInt(value.strip());
    }

    /** {@code settings} plus the batch settings of this process's environment, if any, and the shipped JAVA_OPTS. */
    static Map<String, String> with(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        for (String name : new String[] {Settings.BACKUP_BATCH_FILES, Settings.BACKUP_BATCH_MIB}) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                all.put(name, value.strip());
            }
        }
        String javaOptions = WorkerJvm.shippedJavaOpts();
        if (javaOptions != null) {
            all.put(WorkerJvm.JAVA_OPTS, javaOptions);
        }
        return all;
    }

    /** The JVM options of the app's worker in process: the Java worker's own and the shipped JAVA_OPTS. */
    static List<String> workerJvmOptions() {
        String javaOptions = WorkerJvm.shippedJavaOpts();
        return WorkerJvm.options(javaOptions == null ? Map.of() : Map.of(WorkerJvm.JAVA_OPTS, javaOptions));
    }
}
