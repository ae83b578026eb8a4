package com.contoso.sitebackup;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.backup.SealSnapshot;
import com.contoso.sitebackup.durable.RecordProblems;
import com.contoso.sitebackup.durable.BatchGroup;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.ListBackup;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.PruneSnapshots;
import com.contoso.sitebackup.schedule.RunJob;
import com.contoso.sitebackup.schedule.ScheduledBackups;
import com.contoso.sitebackup.snapshot.ListSnapshots;
import com.contoso.sitebackup.starter.HttpStart;
import com.contoso.sitebackup.verify.CheckFileContent;
import com.contoso.sitebackup.verify.CheckStoredData;
import com.contoso.sitebackup.verify.ListStoredData;
import com.contoso.sitebackup.verify.CompareBackup;
import com.contoso.sitebackup.verify.VerifyBackup;

import java.util.List;

/**
 * Every function of this app, by kind: the one list the test engines register from and that the tests hold
 * the annotations and the packaged {@code function.json} folders against (so a function added without being
 * listed here, or listed without being packaged, fails a test that names it).
 */
public final class Functions {
    /** The HTTP and timer triggers. */
    public static final List<Class<?>> TRIGGERS = List.of(HttpStart.class, ScheduledBackups.class, ListSnapshots.class);

    /** The orchestrators and sub-orchestrators. */
    public static final List<Class<?>> ORCHESTRATORS = List.of(
            BackupSiteContent.class, RestoreSiteContent.class, VerifyBackup.class,
            BatchGroup.class, RunJob.class, ApplyRetention.class);

    /** The activities. */
    public static final List<Class<?>> ACTIVITIES = List.of(
            GetFileList.class, CopyFileToBlob.class, SealSnapshot.class,
            ListBackup.class, RestoreBlobToFile.class, FinishDirectories.class,
            CompareBackup.class, CheckFileContent.class, ListStoredData.class, CheckStoredData.class,
            RecordProblems.class,
            PruneSnapshots.class);

    private Functions() {
    }
}
