package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.config.Settings;

import java.util.HashMap;
import java.util.Map;

/**
 * The batch settings a benchmark run gives the app ({@link BatchSizeSweep} varies them): {@code BACKUP_BATCH_FILES}
 * and {@code BACKUP_BATCH_MIB} from this process's environment when set, the app's defaults otherwise. The sidecar
 * engine passes them to the bridge's app settings, the harness engine to its services.
 */
final class BatchSettings {
    private BatchSettings() {
    }

    /** Files per batch for the harness engine. */
    static int batchFiles() {
        String value = System.getenv(Settings.BACKUP_BATCH_FILES);
        return value == null || value.isBlank() ? Settings.DEFAULT_BATCH_FILES : Integer.parseInt(value.strip());
    }

    /** {@code settings} plus the batch settings of this process's environment, if any. */
    static Map<String, String> with(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        for (String name : new String[] {Settings.BACKUP_BATCH_FILES, Settings.BACKUP_BATCH_MIB}) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                all.put(name, value.strip());
            }
        }
        return all;
    }
}
