# The packaged app on the official Azure Functions Java 17 image, to run next to the data it backs up.
# Build the app first (`mvn -B clean package`): the image takes target/azure-functions/site-backup-func/, the
# folder the Maven plugin writes and Azure runs, and builds nothing itself. README.md, "Run next to the data:
# a container", shows the `docker run` lines: the data folder mounted read-only at /mounts/site, a writable
# folder for restores at /mounts/restore, and the storage settings (identity or a lab connection string).
FROM mcr.microsoft.com/azure-functions/java:4-java17

# Settings that are the same wherever the image runs. Storage is not among them: give at `docker run` either
#   identity: AzureWebJobsStorage__blobServiceUri, __queueServiceUri, __tableServiceUri (plus __credential=
#             managedidentity and __clientId for a managed identity on a VM; nothing more for AKS workload
#             identity) and BackupStorage__serviceUri (plus BackupStorage__clientId for a managed identity), or
#   a lab:    AzureWebJobsStorage and BackupStorage connection strings,
# from an env file kept out of the image and out of the repository.
# - The roots are the paths Azure mounts the shares at (infra/main.bicep), so a tree backs up to the same
#   blob prefix (mounts/site) here and there.
# - AzureFunctionsWebHost__hostid: every container of one deployment must share the host id, so the timer
#   trigger and the host's locks see one app, not one app per container.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    AzureFunctionsWebHost__hostid=site-backup \
    FUNCTIONS_WORKER_RUNTIME=java \
    JAVA_OPTS="-Xms64m -XX:+UseSerialGC" \
    LC_ALL=C.UTF-8 \
    TASK_HUB_NAME=SiteBackupHub \
    BACKUP_CONTAINER=backups \
    BACKUP_MANIFEST_CONTAINER=backup-manifests \
    BACKUP_READ_ROOTS=/mounts/site:/mounts/restore \
    BACKUP_WRITE_ROOTS=/mounts/restore \
    BACKUP_SCHEDULE="0 0 2 * * *" \
    BACKUP_JOBS="[]"

COPY target/azure-functions/site-backup-func/ /home/site/wwwroot/
