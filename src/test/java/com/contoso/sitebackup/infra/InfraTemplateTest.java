package com.contoso.sitebackup.infra;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.standin.stack.WorkerJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Bicep compiler cannot run on the build machines, and neither can Docker, so these tests read infra/,
 * azure.yaml, host.json, pom.xml, the Dockerfile and the READMEs as text and check that they agree with each
 * other and with the code, and that no key or secret is anywhere but the one documented place (the data
 * account's key, read by infra/app/mounts.bicep for the Azure Files mounts). Paths are relative to the project
 * base directory (Maven's working directory).
 */
class InfraTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String READ_ROOTS = Settings.BACKUP_READ_ROOTS;
    private static final String WRITE_ROOTS = Settings.BACKUP_WRITE_ROOTS;
    private static final String SCHEDULE = Settings.BACKUP_SCHEDULE;
    private static final String JOBS = Settings.BACKUP_JOBS;
    /** No longer set anywhere: one root list for reading and writing let a restore overwrite the app's code. */
    private static final String RETIRED_ROOTS = "BACKUP_ALLOWED_ROOTS";

    /** The app's own code (AzureWebJobsScriptRoot on Azure and in the image): never a default root. */
    private static final String SCRIPT_ROOT = "/home/site/wwwroot";

    /** The prefix of the one completion event each top-level orchestrator logs, which the alert rules query. */
    private static final String COMPLETION_EVENT = "SiteBackupCompletion";

    /** The image the Dockerfile must build on: the official Azure Functions Java 17 base image. */
    private static final String BASE_IMAGE = "mcr.microsoft.com/azure-functions/java:4-java17";

    /**
     * The built-in roles the template may assign, by the key rbac.bicep names them with and their fixed id
     * (the same table is in infra/README.md). Anything else, Owner and Contributor above all, is refused.
     */
    private static final Map<String, String> KNOWN_ROLES = Map.of(
            "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",        // task hub: host and provider leases, large messages
            "storageBlobDataContributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",  // backup account: blobs and manifests
            "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // task hub: control and work-item queues
            "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // task hub: history and instances tables
            "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb",  // Entra-authenticated telemetry
            "storageFileDataPrivilegedContributor", "69566ab7-960f-475b-8e7c-b3118f30c6bd"); // deployer: shares over REST with Entra ID

    /** Secret-shaped text that must appear in no template file and not in the plugin configuration. */
    private static final Pattern SECRETS = Pattern.compile("(?i)AccountKey=|listKeys|SharedAccessSignature|sig=|"
            + "DefaultEndpointsProtocol|WEBSITE_CONTENTAZUREFILECONNECTIONSTRING|password|secret\\(|"
            + "primaryKey|InstrumentationKey=");

    private static final Pattern APP_SETTING = Pattern.compile("\\{ name: '([^']+)', value: ('[^']*'|[\\w.]+) }");

    @Test
    void appSettings_everySettingTheCodeReads_isSetByInfra() throws IOException {
        Map<String, String> infra = infraAppSettings();
        for (String name : settingNames()) {
            if (name.equals(Settings.BACKUP_STORAGE)) {
                assertFalse(infra.containsKey(name), name + " is the local-only connection string: infra must not set it");
            } else {
                assertTrue(infra.containsKey(name), name + " is read by the code but not set by infra/app/function.bicep");
            }
        }
        assertFalse(infra.containsKey(RETIRED_ROOTS), RETIRED_ROOTS + " is replaced by " + READ_ROOTS + " and " + WRITE_ROOTS);
        assertEquals("'backups'", infra.get(Settings.BACKUP_CONTAINER));
        assertEquals("'backup-manifests'", infra.get(Settings.BACKUP_MANIFEST_CONTAINER));
        assertEquals("backupBlobEndpoint", infra.get(Settings.BACKUP_STORAGE_SERVICE_URI));
        assertEquals("identityClientId", infra.get(Settings.BACKUP_STORAGE_CLIENT_ID));
        assertEquals("readRoots", infra.get(READ_ROOTS));
        assertEquals("writeRoots", infra.get(WRITE_ROOTS));
        assertEquals("backupSchedule", infra.get(SCHEDULE));
        assertEquals("backupJobs", infra.get(JOBS));
        String main = read("infra/main.bicep");
        assertTrue(main.contains("readRoots: readRoots\n") && main.contains("writeRoots: writeRoots\n"));
        assertTrue(main.contains("backupSchedule: backupSchedule\n"));
        assertTrue(main.contains("backupJobs: string(backupJobs)\n"), "BACKUP_JOBS is the job array as JSON text");
        assertTrue(main.contains("param backupJobs array = []"), "no job unless the operator names one");
    }

    @Test
    void roots_defaults_readTheSiteShareAndWriteOnlyTheRestoreShare() throws IOException {
        String main = read("infra/main.bicep");
        String siteMount = bicepVar(main, "siteMountPath");
        String restoreMount = bicepVar(main, "restoreMountPath");
        List<String> read = List.of(paramDefault(main, "readRoots").split(":"));
        List<String> write = List.of(paramDefault(main, "writeRoots").split(":"));
        assertEquals(List.of(siteMount, restoreMount), read, "a backup reads the site share; a verify may check a restore");
        assertEquals(List.of(restoreMount), write, "a restore writes the restore share only");
        for (String root : union(read, write)) {
            assertFalse(root.equals(SCRIPT_ROOT) || root.startsWith(SCRIPT_ROOT + "/") || SCRIPT_ROOT.startsWith(root + "/"),
                    root + " must not expose the app's code");
            assertTrue(root.startsWith("/mounts/"), root + " is a mounted share, not the app's /home");
        }
        JsonNode parameters = JSON.readTree(read("infra/main.parameters.json")).path("parameters");
        assertEquals(String.join(":", read), defaultOf(parameters, "readRoots"), "azd default of " + READ_ROOTS);
        assertEquals(String.join(":", write), defaultOf(parameters, "writeRoots"), "azd default of " + WRITE_ROOTS);
        assertEquals("${" + READ_ROOTS + "=", parameters.path("readRoots").path("value").asText().substring(0, READ_ROOTS.length() + 3));
        assertEquals("${" + WRITE_ROOTS + "=", parameters.path("writeRoots").path("value").asText().substring(0, WRITE_ROOTS.length() + 3));

        String mounts = moduleBody(main, "mounts");
        assertTrue(mounts.contains("siteMountPath: siteMountPath\n") && mounts.contains("restoreMountPath: restoreMountPath\n"),
                "the shares are mounted at the paths the roots name");
        assertEquals(2, count(main, "var siteShareName = 'site'") + count(main, "var restoreShareName = 'restore'"));
        assertTrue(moduleBody(main, "dataStorage").contains("shares: [ siteShareName, restoreShareName ]"));
    }

    @Test
    void mounts_bothSharesAzureFilesOverSmb_atThePathsTheRootsName() throws IOException {
        String mounts = read("infra/app/mounts.bicep");
        Matcher config = Pattern.compile("resource \\w+ 'Microsoft\\.Web/sites/config@[^']+' = \\{").matcher(mounts);
        assertTrue(config.find(), "mounts.bicep configures the app's storage mounts");
        String body = block(mounts, config.end() - 1);
        assertTrue(body.contains("name: 'azurestorageaccounts'"));
        Map<String, String> paths = new LinkedHashMap<>();
        Matcher mount = Pattern.compile("(?m)^    (\\w+): \\{").matcher(body);
        while (mount.find()) {
            String entry = block(body, mount.end() - 1);
            assertTrue(entry.contains("type: 'AzureFiles'") && entry.contains("protocol: 'Smb'"), mount.group(1) + ": an Azure Files SMB mount");
            assertTrue(entry.contains("accountName: data.name"), mount.group(1) + ": on the data account");
            Matcher path = Pattern.compile("mountPath: (\\w+)$", Pattern.MULTILINE).matcher(entry);
            assertTrue(path.find(), mount.group(1) + ": mounted at a path main.bicep passes in");
            paths.put(mount.group(1), path.group(1));
        }
        assertEquals(Map.of("site", "siteMountPath", "restore", "restoreMountPath"), paths);
        String main = read("infra/main.bicep");
        for (String var : List.of("siteMountPath", "restoreMountPath")) {
            String path = bicepVar(main, var);
            // App Service refuses / and /home, and a mount under /tmp can time out the app's start.
            assertTrue(path.matches("/mounts/[a-z]+"), var + " = " + path);
        }
    }

    @Test
    void dataAccount_theOnlySharedKeyAccount_holdsNothingButTheShares() throws IOException {
        String data = read("infra/app/data-storage.bicep");
        String account = block(data, data.indexOf("{", data.indexOf("resource account 'Microsoft.Storage/storageAccounts@")));
        assertTrue(account.contains("allowSharedKeyAccess: true"), "the SMB mount authenticates with the account key");
        assertTrue(account.contains("allowBlobPublicAccess: false") && account.contains("minimumTlsVersion: 'TLS1_2'")
                && account.contains("supportsHttpsTrafficOnly: true"), "no public access, TLS 1.2, encrypted SMB only");
        for (String service : List.of("blobServices", "queueServices", "tableServices", "containers")) {
            assertFalse(data.contains(service), "the data account holds file shares only, not " + service);
        }
        assertTrue(Pattern.compile("shareDeleteRetentionPolicy: \\{\\s*enabled: true").matcher(data).find(), "share soft delete");
        assertTrue(data.contains("enabledProtocols: 'SMB'") && data.contains("shareQuota: shareQuotaGiB"));
        assertTrue(Pattern.compile("(?m)^output \\w+ string = account\\.name$").matcher(data).find());
        assertEquals(1, count(data, "\noutput "), "the data module outputs its name and nothing else");
        assertTrue(moduleBody(read("infra/main.bicep"), "dataStorage").contains(
                "name: '${abbrs.storageStorageAccounts}data${resourceToken}'"), "an account of its own, apart from the hub and backups");
    }

    @Test
    void mountKey_readOnlyByTheMountsModule_usedOnlyAsTheMountsAccessKey() throws IOException {
        int uses = 0;
        for (Path file : templateFiles()) {
            String text = Files.readString(file);
            Matcher key = Pattern.compile("(?m)^.*listKeys.*$").matcher(text);
            while (key.find()) {
                assertEquals(Path.of("infra/app/mounts.bicep"), file, "only mounts.bicep reads a key: " + key.group().trim());
                assertEquals("accessKey: data.listKeys().keys[keyIndex].value", key.group().trim());
                uses++;
            }
        }
        assertEquals(2, uses, "one key per mount: the site share and the restore share");
        String mounts = read("infra/app/mounts.bicep");
        assertTrue(mounts.contains("resource data 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {\n  name: dataStorageName\n}"),
                "the key is the data account's");
        assertFalse(Pattern.compile("(?m)^output ").matcher(mounts).find(), "the key never leaves the module");
        assertTrue(moduleBody(read("infra/main.bicep"), "mounts").contains("dataStorageName: dataStorage.outputs.name\n"));
        assertFalse(infraAppSettings().values().stream().anyMatch(v -> v.toLowerCase().contains("key")),
                "no app setting carries a key (the mount's key is site configuration, out of the app's environment)");
    }

    @Test
    void appSettings_hostStorage_isIdentityBasedWithTheUserAssignedIdentity() throws IOException {
        Map<String, String> infra = infraAppSettings();
        assertFalse(infra.containsKey("AzureWebJobsStorage"), "no AzureWebJobsStorage connection string");
        assertEquals("hubBlobEndpoint", infra.get("AzureWebJobsStorage__blobServiceUri"));
        assertEquals("hubQueueEndpoint", infra.get("AzureWebJobsStorage__queueServiceUri"));
        assertEquals("hubTableEndpoint", infra.get("AzureWebJobsStorage__tableServiceUri"));
        assertEquals("'managedidentity'", infra.get("AzureWebJobsStorage__credential"));
        assertEquals("identityClientId", infra.get("AzureWebJobsStorage__clientId"));
        assertEquals("'~4'", infra.get("FUNCTIONS_EXTENSION_VERSION"));
        assertEquals("'java'", infra.get("FUNCTIONS_WORKER_RUNTIME"));
        assertFalse(infra.containsKey("WEBSITE_CONTENTSHARE"), "no Azure Files content share");
        String main = read("infra/main.bicep");
        assertTrue(main.contains("hubBlobEndpoint: hubStorage.outputs.blobEndpoint"));
        assertTrue(main.contains("hubQueueEndpoint: hubStorage.outputs.queueEndpoint"));
        assertTrue(main.contains("hubTableEndpoint: hubStorage.outputs.tableEndpoint"));
        assertTrue(main.contains("backupBlobEndpoint: backupStorage.outputs.blobEndpoint"));
        assertTrue(main.contains("identityClientId: identity.outputs.clientId"));
    }

    @Test
    void javaOpts_theWorkerJvmOptions_oneValueInLocalSettingsInfraDockerfileAndReadme() throws IOException {
        String local = JSON.readTree(read("local.settings.json")).path("Values").path(WorkerJvm.JAVA_OPTS).asText(null);
        assertNotNull(local, "local.settings.json sets JAVA_OPTS (func start and the stand-in read it)");
        assertEquals("'" + local + "'", infraAppSettings().get(WorkerJvm.JAVA_OPTS), "infra sets the same JAVA_OPTS");
        assertEquals(local, dockerEnv(read("Dockerfile")).get(WorkerJvm.JAVA_OPTS), "the image sets the same JAVA_OPTS");
        assertEquals(List.of(local, local), readmeSettingValues(WorkerJvm.JAVA_OPTS), "README's settings table says it");
        assertTrue(WorkerJvm.options(Map.of(WorkerJvm.JAVA_OPTS, local)).containsAll(List.of(local.split("\\s+"))),
                "the stand-in's bridge starts its JVM with it");
    }

    @Test
    void readme_everySettingTheCodeReads_isDocumented() throws IOException {
        String readme = read("README.md");
        for (String name : settingNames()) {
            assertTrue(readme.contains("| `" + name + "` |"), name + " has a row in README.md's settings table");
        }
    }

    @Test
    void infraReadme_everyRoleAndThePlanChoice_areExplained() throws IOException {
        String readme = read("infra/README.md");
        for (String id : KNOWN_ROLES.values()) {
            assertTrue(readme.contains(id), "infra/README.md lists role id " + id);
        }
        assertTrue(readme.contains("P1v3"), "infra/README.md names the plan");
        assertTrue(readme.contains("Flex Consumption") && readme.contains("Elastic Premium"), "and the plans it rejected");
        assertTrue(readme.contains("azureStorageAccounts") && readme.contains("allowSharedKeyAccess: true"),
                "infra/README.md says where the mount's key goes and which account allows it");
        for (String file : List.of("data-storage.bicep", "mounts.bicep", "alerts.bicep")) {
            assertTrue(readme.contains("app/" + file), "infra/README.md lists app/" + file);
        }
    }

    @Test
    void taskHub_hostJsonAndInfra_agree() throws IOException {
        String hubName = JSON.readTree(read("host.json")).path("extensions").path("durableTask").path("hubName").asText();
        assertFalse(hubName.isEmpty(), "host.json names the task hub");
        Matcher defaultHub = Pattern.compile("(?m)^param taskHubName string = '([^']+)'").matcher(read("infra/main.bicep"));
        assertTrue(defaultHub.find(), "main.bicep declares taskHubName with a default");
        String infraHub = defaultHub.group(1);
        assertEquals("SiteBackupHub", infraHub);
        Matcher fromSetting = Pattern.compile("^%(\\w+)%$").matcher(hubName);
        if (fromSetting.matches()) {
            // host.json reads the hub from an app setting: infra and the plugin must set it, to the same hub.
            String setting = fromSetting.group(1);
            assertEquals("taskHubName", infraAppSettings().get(setting), setting + " is set from taskHubName in infra");
            assertEquals(infraHub, pluginAppSettings().get(setting), setting + " in the plugin configuration");
        } else {
            assertEquals(infraHub, hubName, "host.json's hub is infra's hub");
            for (Map<String, String> settings : List.of(infraAppSettings(), pluginAppSettings())) {
                for (String hubSetting : List.of("TASK_HUB_NAME", "AzureFunctionsJobHost__extensions__durableTask__hubName")) {
                    String value = settings.get(hubSetting);
                    assertTrue(value == null || value.equals(infraHub) || value.equals("taskHubName"),
                            hubSetting + " does not name another hub: " + value);
                }
            }
        }
    }

    @Test
    void infraAndPlugin_noKeysOrSecretsAnywhere() throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path file : templateFiles()) {
            // The mounts' access key is the one documented exception, checked by mountKey_readOnlyByTheMountsModule_...
            texts.put(file.toString(), Files.readString(file).replace("accessKey: data.listKeys().keys[keyIndex].value", ""));
        }
        texts.put("azure.yaml", read("azure.yaml"));
        texts.put("Dockerfile", read("Dockerfile"));
        texts.put(".dockerignore", read(".dockerignore"));
        texts.put("pom.xml azure-functions-maven-plugin <configuration>", pomPluginConfiguration());
        assertTrue(texts.size() >= 13, "read the templates: " + texts.keySet());
        for (Map.Entry<String, String> text : texts.entrySet()) {
            Matcher found = SECRETS.matcher(text.getValue());
            if (found.find()) {
                fail("secret-like text '" + found.group() + "' in " + text.getKey());
            }
        }
        assertFalse(pluginAppSettings().containsKey("AzureWebJobsStorage"), "the plugin sets no storage connection string");
        assertTrue(read("infra/app/function.bicep").contains("basicPublishingCredentialsPolicies"),
                "publishing with basic-auth passwords is switched off");
    }

    @Test
    void storageAccounts_everyOne_disallowsSharedKeyAndPublicAccess() throws IOException {
        Pattern declaration = Pattern.compile("resource \\w+ 'Microsoft\\.Storage/storageAccounts@[^']+' = (existing )?\\{");
        int created = 0;
        for (Path file : templateFiles()) {
            String text = Files.readString(file);
            Matcher m = declaration.matcher(text);
            while (m.find()) {
                if (m.group(1) != null) {
                    continue; // a reference to an account declared elsewhere
                }
                created++;
                String body = block(text, m.end() - 1);
                if (file.equals(Path.of("infra/app/data-storage.bicep"))) {
                    continue; // the mounted shares' account, checked by dataAccount_theOnlySharedKeyAccount_...
                }
                assertTrue(body.contains("allowSharedKeyAccess: false"), file + ": allowSharedKeyAccess false");
                assertTrue(body.contains("allowBlobPublicAccess: false"), file + ": no public blob access");
                assertTrue(body.contains("minimumTlsVersion: 'TLS1_2'"), file + ": TLS 1.2");
            }
        }
        assertEquals(2, created, "storage.bicep's accounts and the data account");
        String main = read("infra/main.bicep");
        assertEquals(2, count(main, "'app/storage.bicep' = {"), "task hub and backup accounts, both from the one module");
        assertTrue(moduleBody(main, "hubStorage").contains("backupFeatures: false"));
    }

    @Test
    void backupAccount_versioningAndSoftDelete_areOn() throws IOException {
        String storage = read("infra/app/storage.bicep");
        assertTrue(storage.contains("isVersioningEnabled: true"));
        assertTrue(Pattern.compile("(?<!container)deleteRetentionPolicy: \\{\\s*enabled: true").matcher(storage).find(),
                "blob soft delete");
        assertTrue(Pattern.compile("containerDeleteRetentionPolicy: \\{\\s*enabled: true").matcher(storage).find(),
                "container soft delete");
        String backup = moduleBody(read("infra/main.bicep"), "backupStorage");
        assertTrue(backup.contains("backupFeatures: true"), "the backup account is created with backupFeatures: true");
        assertTrue(backup.contains("'backups'") && backup.contains("'backup-manifests'"), "with both containers");
    }

    @Test
    void backupAccount_lifecycle_deletesPlansAndReportsNeverSnapshotManifests() throws IOException {
        String storage = read("infra/app/storage.bicep");
        Matcher rule = Pattern.compile("prefixMatch: \\[([^\\]]*)]").matcher(storage);
        List<String> prefixes = new ArrayList<>();
        while (rule.find()) {
            Matcher quoted = Pattern.compile("'([^']*)'").matcher(rule.group(1));
            while (quoted.find()) {
                prefixes.add(quoted.group(1));
            }
        }
        String container = "backup-manifests/";
        String plan = container + com.contoso.sitebackup.durable.ManifestStore.PLANS + "0f1e/slice-000000.json";
        String report = container + com.contoso.sitebackup.durable.ProblemReport.nameFor("job-nightly",
                java.time.Instant.EPOCH);
        String snapshot = container + com.contoso.sitebackup.snapshot.SnapshotStore.blobName("backups",
                "home/site/wwwroot", "20261126T125533.123Z");
        assertTrue(prefixes.stream().anyMatch(plan::startsWith), "a rule deletes old plans: " + prefixes);
        assertTrue(prefixes.stream().anyMatch(report::startsWith), "a rule deletes old reports: " + prefixes);
        assertTrue(prefixes.stream().noneMatch(snapshot::startsWith), "no rule deletes a snapshot manifest: " + prefixes);
    }

    @Test
    void parameters_validJsonNamingOnlyDeclaredParameters() throws IOException {
        JsonNode parameters = JSON.readTree(read("infra/main.parameters.json")).path("parameters");
        String main = read("infra/main.bicep");
        Set<String> declared = new HashSet<>();
        Set<String> required = new HashSet<>();
        Matcher param = Pattern.compile("(?m)^param (\\w+) \\w+( = .*)?$").matcher(main);
        while (param.find()) {
            declared.add(param.group(1));
            if (param.group(2) == null) {
                required.add(param.group(1));
            }
        }
        assertFalse(parameters.isEmpty());
        Set<String> given = new HashSet<>();
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            given.add(name);
            assertTrue(declared.contains(name), name + " is declared in main.bicep " + declared);
            assertTrue(parameters.path(name).has("value"), name + " has a value");
        }
        assertTrue(given.containsAll(required), "every parameter without a default is given: " + required);
        assertTrue(main.contains("targetScope = 'subscription'"));
        assertTrue(main.contains("resource rg 'Microsoft.Resources/resourceGroups@"));
        JsonNode abbreviations = JSON.readTree(read("infra/abbreviations.json"));
        Matcher used = Pattern.compile("abbrs\\.(\\w+)").matcher(main);
        while (used.find()) {
            assertTrue(abbreviations.has(used.group(1)), "abbreviations.json defines " + used.group(1));
        }
    }

    @Test
    void azureYaml_service_isTheJavaFunctionAppTaggedInInfra() throws IOException {
        String yaml = read("azure.yaml");
        Matcher service = Pattern.compile("(?m)^services:\\s*\\n\\s+(\\w[\\w-]*):\\s*\\n((?:\\s{4,}.*\\n?)+)").matcher(yaml);
        assertTrue(service.find(), "azure.yaml has a service");
        String body = service.group(2);
        assertTrue(body.matches("(?s).*\\bproject: \\.(\\s.*)?"), "project: .");
        assertTrue(body.contains("language: java"));
        assertTrue(body.contains("host: function"));
        assertTrue(read("infra/main.bicep").contains("serviceName: '" + service.group(1) + "'"),
                "the function app carries azd-service-name " + service.group(1));
        int tagged = 0;
        for (Path file : templateFiles()) {
            tagged += count(Files.readString(file), "'azd-service-name'");
        }
        assertEquals(1, tagged, "azd wants exactly one resource with the service tag");
    }

    @Test
    void pluginAndInfra_sameNamesDefaultsAndSettings() throws IOException {
        String pom = read("pom.xml");
        String plugin = pomPluginConfiguration();
        JsonNode parameters = JSON.readTree(read("infra/main.parameters.json")).path("parameters");
        assertTrue(plugin.contains("<appName>${functionAppName}</appName>"));
        assertTrue(plugin.contains("<resourceGroup>${functionResourceGroup}</resourceGroup>"));
        assertTrue(plugin.contains("<region>${functionRegion}</region>"));
        assertTrue(plugin.contains("<appServicePlanName>${functionAppServicePlan}</appServicePlanName>"));
        assertEquals(defaultOf(parameters, "functionAppName"), property(pom, "functionAppName"));
        assertEquals(defaultOf(parameters, "resourceGroupName"), property(pom, "functionResourceGroup"));
        assertEquals(defaultOf(parameters, "location"), property(pom, "functionRegion"));
        assertEquals(defaultOf(parameters, "appServicePlanName"), property(pom, "functionAppServicePlan"));
        String main = read("infra/main.bicep");
        assertTrue(main.contains("param functionAppName string = '" + property(pom, "functionAppName") + "'"));
        assertTrue(main.contains("param resourceGroupName string = '" + property(pom, "functionResourceGroup") + "'"));
        assertTrue(main.contains("param appServicePlanName string = '" + property(pom, "functionAppServicePlan") + "'"));

        String function = read("infra/app/function.bicep");
        assertTrue(function.contains("name: 'P1v3'") && plugin.contains("<pricingTier>P1v3</pricingTier>"));
        assertTrue(function.contains("kind: 'functionapp,linux'") && plugin.contains("<os>linux</os>"));
        assertTrue(function.contains("linuxFxVersion: 'Java|17'") && plugin.contains("<javaVersion>17</javaVersion>"));
        assertTrue(plugin.contains("<disableAppInsights>true</disableAppInsights>"), "infra owns Application Insights");

        Map<String, String> infra = infraAppSettings();
        Map<String, String> fromPlugin = pluginAppSettings();
        assertFalse(fromPlugin.isEmpty());
        for (Map.Entry<String, String> setting : fromPlugin.entrySet()) {
            String infraValue = infra.get(setting.getKey());
            assertNotNull(infraValue, setting.getKey() + " is set by the plugin but not by infra");
            String expected = infraValue.startsWith("'") ? infraValue.substring(1, infraValue.length() - 1)
                    : defaultOfBicepParam(main, infraValue);
            assertEquals(expected, setting.getValue(), setting.getKey() + " agrees between the plugin and infra");
        }
        for (String perEnvironment : List.of(READ_ROOTS, WRITE_ROOTS, SCHEDULE, JOBS, RETIRED_ROOTS)) {
            // The plugin merges its settings into the app's on every deploy: these would reset the operator's.
            assertFalse(fromPlugin.containsKey(perEnvironment), perEnvironment + " is infra's (a parameter), not the plugin's");
        }
    }

    @Test
    void roleAssignments_everyOne_usesAKnownLeastPrivilegeRole() throws IOException {
        String rbac = read("infra/app/rbac.bicep");
        Matcher entries = Pattern.compile("(\\w+): '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'")
                .matcher(rbac);
        Map<String, String> declared = new LinkedHashMap<>();
        while (entries.find()) {
            declared.put(entries.group(1), entries.group(2));
        }
        assertEquals(KNOWN_ROLES, declared, "rbac.bicep's role table is the documented one, ids and names");
        for (Path file : templateFiles()) {
            String text = Files.readString(file);
            Matcher guid = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}").matcher(text);
            while (guid.find()) {
                assertTrue(KNOWN_ROLES.containsValue(guid.group().toLowerCase()), file + ": unknown id " + guid.group());
            }
            Matcher definition = Pattern.compile("roleDefinitionId: (.+)").matcher(text);
            while (definition.find()) {
                assertTrue(definition.group(1).matches(
                        "subscriptionResourceId\\('Microsoft\\.Authorization/roleDefinitions', (role|roles\\.\\w+)\\)"),
                        file + ": role definition from the table: " + definition.group(1));
            }
        }
        Matcher hubRoles = Pattern.compile("var hubRoles = \\[([^]]*)]").matcher(rbac);
        assertTrue(hubRoles.find());
        assertEquals(Set.of("roles.storageBlobDataOwner", "roles.storageQueueDataContributor", "roles.storageTableDataContributor"),
                Set.of(hubRoles.group(1).trim().split("\\s*,\\s*")), "task hub roles");
        assertTrue(Pattern.compile("\\[for role in hubRoles: \\{\\s*name: [^\\n]+\\s*scope: hub\\s").matcher(rbac).find());
        List<String> onBackup = new ArrayList<>();
        Matcher assignment = Pattern.compile("resource \\w+ 'Microsoft\\.Authorization/roleAssignments@[^']+' = [^{]*\\{").matcher(rbac);
        while (assignment.find()) {
            String body = block(rbac, assignment.end() - 1);
            if (body.contains("scope: backup\n")) {
                Matcher role = Pattern.compile("roleDefinitions', roles\\.(\\w+)\\)").matcher(body);
                assertTrue(role.find());
                onBackup.add(role.group(1));
            }
        }
        assertFalse(onBackup.isEmpty());
        assertEquals(Set.of("storageBlobDataContributor"), Set.copyOf(onBackup), "backup account: Blob Data Contributor only");

        // The data account: the app mounts it with the key and has no role there; only the optional deployer gets
        // the file data role, to upload the site's content with Entra ID instead of the key.
        Matcher dataAssignment = Pattern.compile("resource \\w+ 'Microsoft\\.Authorization/roleAssignments@[^']+' = ([^{]*)\\{").matcher(rbac);
        int onData = 0;
        while (dataAssignment.find()) {
            String body = block(rbac, dataAssignment.end() - 1);
            if (body.contains("scope: data\n")) {
                onData++;
                assertEquals("if (!empty(userPrincipalId)) ", dataAssignment.group(1), "only when a deployer is given");
                assertTrue(body.contains("principalId: userPrincipalId") && !body.contains("identityPrincipalId"), "the deployer, never the app");
                assertTrue(body.contains("roles.storageFileDataPrivilegedContributor)"));
            }
        }
        assertEquals(1, onData, "one role on the data account");
        assertTrue(read("infra/main.bicep").contains("dataStorageName: dataStorage.outputs.name\n    userPrincipalId: principalId"));
    }

    @Test
    void appInsights_connectionString_isThePropertyAndAuthenticatesWithTheIdentity() throws IOException {
        String monitoring = read("infra/app/monitoring.bicep");
        assertTrue(monitoring.contains("output appInsightsConnectionString string = appInsights.properties.ConnectionString"));
        assertTrue(monitoring.contains("WorkspaceResourceId: workspace.id"), "workspace-based");
        assertTrue(read("infra/main.bicep").contains("appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString"));
        Map<String, String> infra = infraAppSettings();
        assertEquals("appInsightsConnectionString", infra.get("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        assertEquals("'Authorization=AAD;ClientId=${identityClientId}'", infra.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    @Test
    void functionApp_linuxJava17AlwaysOnUserAssignedIdentity() throws IOException {
        String function = read("infra/app/function.bicep");
        assertTrue(function.contains("reserved: true"), "Linux plan");
        assertTrue(function.contains("alwaysOn: true"), "Durable triggers need Always On on a Dedicated plan");
        assertTrue(function.contains("type: 'UserAssigned'"));
        assertTrue(function.contains("httpsOnly: true"));
        assertTrue(function.contains("minTlsVersion: '1.2'"));
    }

    @Test
    void alerts_bothRules_queryTheCompletionEventAndNotifyOnlyTheGivenActionGroup() throws IOException {
        String alerts = read("infra/app/alerts.bicep");
        Matcher rule = Pattern.compile("resource (\\w+) 'Microsoft\\.Insights/scheduledQueryRules@[^']+' = ([^{]*)\\{").matcher(alerts);
        Map<String, String> condition = new LinkedHashMap<>();
        while (rule.find()) {
            String body = block(alerts, rule.end() - 1);
            condition.put(rule.group(1), rule.group(2).trim());
            assertTrue(body.contains("scopes: [ appInsights.id ]"), rule.group(1) + " queries the app's Application Insights");
            assertTrue(body.contains("actions: actions\n"), rule.group(1) + " notifies the action group parameter only");
            assertTrue(body.contains("kind: 'LogAlert'") && body.contains("threshold: 0") && body.contains("operator: 'GreaterThan'"));
        }
        assertEquals(Map.of("backupProblems", "", "backupStale", "if (!empty(jobNames))"), condition,
                "a problems rule always, a staleness rule when jobs are configured");
        assertTrue(alerts.contains("actionGroups: empty(actionGroupId) ? [] : [ actionGroupId ]"), "no action without a group");
        for (Path file : templateFiles()) {
            assertFalse(Files.readString(file).contains("Microsoft.Insights/actionGroups"), file + " creates no action group");
        }
        String main = read("infra/main.bicep");
        assertTrue(main.contains("param alertActionGroupId string = ''"));
        assertEquals("${ALERT_ACTION_GROUP_ID}", JSON.readTree(read("infra/main.parameters.json"))
                .path("parameters").path("alertActionGroupId").path("value").asText(), "empty unless the azd environment sets it");
        String module = moduleBody(main, "alerts");
        assertTrue(module.contains("actionGroupId: alertActionGroupId\n"), "the rules notify the action group parameter");
        assertTrue(module.contains("jobNames: map(backupJobs, job => job.name)\n"), "the jobs BACKUP_JOBS starts are the jobs watched");
        assertTrue(module.contains("appInsightsName: monitoring.outputs.appInsightsName\n"), "the rules query the app's Application Insights");

        String problems = bicepMultiline(alerts, "problemsQuery");
        String stale = bicepMultiline(alerts, "staleQuery");
        for (String query : List.of(problems, stale)) {
            assertTrue(query.contains("| where message startswith \"" + COMPLETION_EVENT + " {\""), "the query reads the completion event");
            assertTrue(query.contains("parse_json(substring(message, indexof(message, \"{\")))"));
        }
        assertTrue(problems.contains("| where eventKind in (\"backup\", \"verify\");"), "backups and the verify after them");
        assertTrue(problems.contains("| where outcome != \"Succeeded\""), "failed, or finished with problems");
        assertTrue(problems.contains("summarize arg_max(timestamp, *) by instance"), "one row per instance, whatever the duplicates");
        assertTrue(stale.contains("tostring(e.kind) == \"backup\"")
                && stale.contains("tostring(e.outcome) in (\"Succeeded\", \"CompletedWithProblems\")"), "a completed backup");
        assertTrue(stale.contains("lastCompleted < ago(26h)") && stale.contains("isnull(lastCompleted)"), "none in 26 hours");
        assertTrue(stale.contains("let expected = dynamic(__JOBS__);") && alerts.contains("replace(staleQuery, '__JOBS__', string(jobNames))"));
        assertTrue(block(alerts, alerts.indexOf("{", alerts.indexOf("resource backupStale"))).contains("windowSize: 'P2D'"),
                "the staleness query sees more than 26 hours");

        // The orchestrators the rules name exist, and host.json lets their completion events reach Application
        // Insights whole: their .User category at Information, and traces never sampled out.
        JsonNode logging = JSON.readTree(read("host.json")).path("logging");
        for (String orchestrator : List.of("BackupSiteContent", "VerifyBackup", "RestoreSiteContent")) {
            assertTrue(functionNames().contains(orchestrator), orchestrator + " is a function of the app");
            assertEquals("Information", logging.path("logLevel").path("Function." + orchestrator + ".User").asText(),
                    orchestrator + "'s own log lines reach Application Insights");
        }
        assertTrue(problems.contains("in (\"BackupSiteContent\", \"VerifyBackup\")"));
        String excluded = logging.path("applicationInsights").path("samplingSettings").path("excludedTypes").asText();
        assertTrue(List.of(excluded.split(";")).contains("Trace"), "sampling never drops a completion event: " + excluded);
    }

    @Test
    void readme_completionEvent_definesEveryFieldTheRulesRead() throws IOException {
        String alerts = readmeSection("Alerts");
        assertTrue(alerts.contains(COMPLETION_EVENT + " {\""), "the event's message prefix, as the rules match it");
        for (String field : List.of("v", "kind", "job", "instance", "outcome", "files", "bytes", "unchanged", "problems",
                "durationMs", "reason")) {
            assertTrue(alerts.contains("| `" + field + "` |"), "README.md defines the field " + field);
        }
        for (String outcome : List.of("Succeeded", "CompletedWithProblems", "Failed")) {
            assertTrue(alerts.contains("`" + outcome + "`"), "README.md defines the outcome " + outcome);
        }
    }

    @Test
    void schedule_everyDefault_oneValidNcrontabThatTheTimerBinds() throws Exception {
        String main = read("infra/main.bicep");
        String infra = paramDefault(main, "backupSchedule");
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("infra/main.bicep", infra);
        defaults.put("infra/main.parameters.json", defaultOf(JSON.readTree(read("infra/main.parameters.json")).path("parameters"),
                "backupSchedule"));
        defaults.put("local.settings.json", JSON.readTree(read("local.settings.json")).path("Values").path(SCHEDULE).asText());
        defaults.put("Dockerfile", dockerEnv(read("Dockerfile")).get(SCHEDULE));
        defaults.put("README.md settings table", readmeSettingValues(SCHEDULE).get(0));
        defaults.put("README.md settings table, on Azure", readmeSettingValues(SCHEDULE).get(1));
        for (Map.Entry<String, String> value : defaults.entrySet()) {
            assertEquals(infra, value.getValue(), value.getKey() + " gives the schedule infra gives");
            assertEquals(infra, Settings.of(Map.of(SCHEDULE, value.getValue())).backupSchedule(),
                    value.getKey() + ": the timer accepts it");
        }
        java.lang.reflect.Method run = com.contoso.sitebackup.schedule.ScheduledBackups.class.getMethod("run", String.class,
                com.microsoft.durabletask.azurefunctions.DurableClientContext.class, com.microsoft.azure.functions.ExecutionContext.class);
        com.microsoft.azure.functions.annotation.TimerTrigger timer =
                run.getParameters()[0].getAnnotation(com.microsoft.azure.functions.annotation.TimerTrigger.class);
        assertEquals("%" + SCHEDULE + "%", timer.schedule(), "the timer binds the setting infra sets");
        assertTrue(readmeSection("Scheduled jobs").contains("`" + SCHEDULE + "`") && readmeSection("Scheduled jobs").contains(infra));
    }

    @Test
    void jobs_everyDefault_noJob_andTheReadmeExampleIsAValidList() throws IOException {
        assertTrue(read("infra/main.bicep").contains("param backupJobs array = []"));
        assertEquals("[]", JSON.readTree(read("infra/main.parameters.json")).path("parameters").path("backupJobs").path("value").toString());
        for (String value : List.of(JSON.readTree(read("local.settings.json")).path("Values").path(JOBS).asText(),
                dockerEnv(read("Dockerfile")).get(JOBS), readmeSettingValues(JOBS).get(0).replace("`", ""))) {
            assertEquals(List.of(), Settings.of(Map.of(JOBS, value)).backupJobs(), "no job by default: " + value);
        }

        String section = readmeSection("Scheduled jobs");
        Matcher example = Pattern.compile("(?s)```json\\n(\\[.*?])\\n```").matcher(section);
        assertTrue(example.find(), "the Scheduled jobs section shows an example " + JOBS);
        List<com.contoso.sitebackup.config.JobSetting> jobs = Settings.of(Map.of(JOBS, example.group(1))).backupJobs();
        assertTrue(jobs.size() >= 2 && jobs.stream().anyMatch(com.contoso.sitebackup.config.JobSetting::verifyAfter),
                "the example shows a plain job and one with verifyAfter: " + jobs);
        for (String field : List.of("name", "backup", "verifyAfter")) {
            assertTrue(section.contains("| `" + field + "` |"), "the README defines the job field " + field);
        }
        // The alerts' example event is a run of the example's first job, and names it as the rules read it.
        Matcher line = Pattern.compile("(?m)^" + COMPLETION_EVENT + " \\{.*$").matcher(readmeSection("Alerts"));
        assertTrue(line.find(), "the Alerts section shows an example event");
        JsonNode event = com.contoso.sitebackup.testing.CompletionEvents.parse(line.group());
        assertEquals(jobs.get(0).name(), event.get("job").asText());
        assertEquals(java.util.Optional.of(jobs.get(0).name()),
                com.contoso.sitebackup.durable.InstanceIds.jobOf(event.get("instance").asText()));
        // infra watches the names of the jobs it passes as BACKUP_JOBS: the field the app reads a name from.
        assertTrue(read("infra/main.bicep").contains("jobNames: map(backupJobs, job => job.name)\n"));
    }

    @Test
    void hostJson_scheduleFunctions_theirOwnLinesKept() throws IOException {
        JsonNode levels = JSON.readTree(read("host.json")).path("logging").path("logLevel");
        for (String function : List.of(com.contoso.sitebackup.schedule.ScheduledBackups.NAME,
                com.contoso.sitebackup.schedule.RunJob.NAME)) {
            assertTrue(functionNames().contains(function));
            assertEquals("Information", levels.path("Function." + function + ".User").asText(),
                    function + "'s own lines (jobs started or left alone) reach Application Insights");
        }
    }

    @Test
    void entraAuth_offByDefault_onWithAClientIdAndNoSecret() throws IOException {
        String main = read("infra/main.bicep");
        assertTrue(main.contains("param entraAuthClientId string = ''"), "off by default");
        assertTrue(main.contains("param entraAuthAllowedIdentities array = []"));
        String module = moduleBody(main, "function");
        assertTrue(module.contains("entraAuthClientId: entraAuthClientId\n")
                && module.contains("entraAuthAllowedIdentities: entraAuthAllowedIdentities\n"));
        assertEquals("${ENTRA_AUTH_CLIENT_ID}", JSON.readTree(read("infra/main.parameters.json"))
                .path("parameters").path("entraAuthClientId").path("value").asText(), "empty unless the azd environment sets it");
        String function = read("infra/app/function.bicep");
        Matcher auth = Pattern.compile("resource \\w+ 'Microsoft\\.Web/sites/config@[^']+' = ([^{]*)\\{").matcher(function);
        assertTrue(auth.find(), "function.bicep configures App Service authentication");
        assertEquals("if (!empty(entraAuthClientId)) ", auth.group(1), "only with a client id");
        String body = block(function, auth.end() - 1);
        assertFalse(auth.find(), "one configuration resource in function.bicep");
        assertTrue(body.contains("name: 'authsettingsV2'"));
        assertTrue(body.contains("requireAuthentication: true") && body.contains("unauthenticatedClientAction: 'Return401'"),
                "every request without a token is refused, the Durable webhooks included");
        assertTrue(body.contains("clientId: entraAuthClientId")
                && body.contains("allowedAudiences: [ entraAuthClientId, 'api://${entraAuthClientId}' ]"));
        assertFalse(body.contains("clientSecret"), "validating tokens needs no client secret");
        assertTrue(body.contains("allowedPrincipals: { identities: entraAuthAllowedIdentities }"));
    }

    @Test
    void readme_threatModel_namesEveryKeyAndWhatTheOperatorAdds() throws IOException {
        String model = readmeSection("Threat model of the HTTP surface").toLowerCase();
        for (String must : List.of("function key", "system key", "statusQueryGetUri", "/runtime/webhooks/durabletask/orchestrators/",
                "entraAuthClientId", "private endpoint", "access restrictions", "rotate", READ_ROOTS, WRITE_ROOTS)) {
            assertTrue(model.contains(must.toLowerCase()), "the threat model covers " + must);
        }
    }

    @Test
    void dockerfile_officialJava17Image_packagedFolder_sameSettingsAsInfra() throws IOException {
        String dockerfile = read("Dockerfile");
        assertEquals(List.of("FROM " + BASE_IMAGE), lines(dockerfile, "FROM "), "one stage, on the official Azure Functions Java 17 image");
        String packaged = "target/azure-functions/" + property(read("pom.xml"), "functionAppName") + "/";
        assertEquals(List.of("COPY " + packaged + " " + SCRIPT_ROOT + "/"), lines(dockerfile, "COPY "),
                "the folder the Maven plugin packages, where the host looks for the app");
        assertTrue(lines(dockerfile, "RUN ").isEmpty() && lines(dockerfile, "ADD ").isEmpty(), "nothing is built or fetched in the image");

        Map<String, String> env = dockerEnv(dockerfile);
        String main = read("infra/main.bicep");
        Map<String, String> infra = infraAppSettings();
        Set<String> hostSettings = Set.of("AzureWebJobsScriptRoot", "AzureFunctionsJobHost__Logging__Console__IsEnabled",
                "AzureFunctionsWebHost__hostid", "FUNCTIONS_WORKER_RUNTIME", "JAVA_OPTS", "LC_ALL", "TASK_HUB_NAME");
        for (Map.Entry<String, String> setting : env.entrySet()) {
            String name = setting.getKey();
            assertTrue(hostSettings.contains(name) || settingNames().contains(name), "Dockerfile sets an unknown setting " + name);
            assertFalse(name.startsWith("AzureWebJobsStorage") || name.startsWith(Settings.BACKUP_STORAGE),
                    name + ": storage is given at docker run (identity or a lab connection string), never built in");
            if (infra.containsKey(name)) {
                String infraValue = infra.get(name);
                String expected = infraValue.startsWith("'") ? infraValue.substring(1, infraValue.length() - 1)
                        // BACKUP_JOBS is the array parameter as text, checked by appSettings_everySetting...
                        : name.equals(JOBS) ? "[]" : defaultOfBicepParam(main, infraValue);
                assertEquals(expected, setting.getValue(), name + " is the same in the image and in infra");
            }
        }
        for (String name : List.of(READ_ROOTS, WRITE_ROOTS, SCHEDULE, JOBS, "TASK_HUB_NAME", Settings.BACKUP_CONTAINER,
                Settings.BACKUP_MANIFEST_CONTAINER, "LC_ALL", "FUNCTIONS_WORKER_RUNTIME", "JAVA_OPTS")) {
            assertTrue(env.containsKey(name), "Dockerfile sets " + name);
        }
        assertEquals(SCRIPT_ROOT, env.get("AzureWebJobsScriptRoot"));
        assertTrue(env.get("AzureFunctionsWebHost__hostid").matches("[a-z0-9-]{1,32}"), "one host id for every container");
        assertFalse(SECRETS.matcher(dockerfile).find(), "no key in the image");
    }

    @Test
    void dockerignore_sendsOnlyThePackagedApp() throws IOException {
        List<String> patterns = read(".dockerignore").lines().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        String packaged = "target/azure-functions/" + property(read("pom.xml"), "functionAppName") + "/";
        assertEquals(List.of("*", "!" + packaged, packaged + "local.settings.json"), patterns,
                "everything is ignored but the packaged app, without Core Tools' local settings");
    }

    @Test
    void readme_containerSection_mountsTheDataReadOnlyAtTheReadRoot() throws IOException {
        String container = readmeSection("Run next to the data: a container");
        Map<String, String> env = dockerEnv(read("Dockerfile"));
        String siteRoot = env.get(READ_ROOTS).split(":")[0];
        String restoreRoot = env.get(WRITE_ROOTS);
        assertTrue(container.contains(":" + siteRoot + ":ro "), "the data folder is mounted read-only at " + siteRoot);
        assertTrue(container.contains(":" + restoreRoot + " "), "the restore folder is mounted writable at " + restoreRoot);
        for (String must : List.of("docker build", "AzureFunctionsWebHost__hostid", "TASK_HUB_NAME",
                "AzureWebJobsStorage__credential", "BackupStorage__serviceUri", "--env-file", "never built here")) {
            assertTrue(container.contains(must), "the container section covers " + must);
        }
        assertFalse(SECRETS.matcher(container).find(), "no key or connection string in the README's container section");
    }

    // ---- helpers ----

    /** Every setting the code reads. */
    private static Set<String> settingNames() {
        assertFalse(Settings.NAMES.contains(RETIRED_ROOTS), RETIRED_ROOTS + " is no longer read");
        return new LinkedHashSet<>(Settings.NAMES);
    }

    /** The names of the app's functions: every {@code NAME = "..."} constant under src/main. */
    private static Set<String> functionNames() throws IOException {
        Set<String> names = new HashSet<>();
        Pattern constant = Pattern.compile("public static final String NAME = \"(\\w+)\";");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher name = constant.matcher(Files.readString(file));
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    /** The settings of the Dockerfile's one ENV instruction (continued over lines), values unquoted. */
    private static Map<String, String> dockerEnv(String dockerfile) {
        Matcher env = Pattern.compile("(?m)^ENV ((?:.*\\\\\n)*.*)$").matcher(dockerfile);
        assertTrue(env.find(), "the Dockerfile has an ENV instruction");
        String instruction = env.group(1);
        assertFalse(env.find(), "one ENV instruction");
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|[^\\s\\\\]+)").matcher(instruction);
        while (pair.find()) {
            String value = pair.group(2).startsWith("\"") ? pair.group(2).substring(1, pair.group(2).length() - 1) : pair.group(2);
            assertNull(settings.put(pair.group(1), value), "set twice: " + pair.group(1));
        }
        assertFalse(settings.isEmpty());
        return settings;
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix)).map(String::trim).toList();
    }

    /** The text of README.md's "## {@code heading}" section, up to the next "## " heading. */
    private static String readmeSection(String heading) throws IOException {
        String readme = read("README.md");
        int start = readme.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README.md has a section " + heading);
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The "local value" and "on Azure" cells of README.md's settings table row for {@code setting}, code spans unwrapped. */
    private static List<String> readmeSettingValues(String setting) throws IOException {
        Matcher row = Pattern.compile("(?m)^\\| `" + setting + "` \\| ([^|]*) \\| ([^|]*) \\|").matcher(readmeSection("Settings"));
        assertTrue(row.find(), "README.md's settings table has " + setting);
        List<String> values = new ArrayList<>();
        for (String cell : List.of(row.group(1), row.group(2))) {
            Matcher code = Pattern.compile("`([^`]*)`").matcher(cell);
            values.add(code.find() ? code.group(1) : cell.trim());
        }
        return values;
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The literal value of {@code var name = '...'} in a Bicep file. */
    private static String bicepVar(String bicep, String name) {
        Matcher var = Pattern.compile("(?m)^var " + name + " = '([^']*)'$").matcher(bicep);
        assertTrue(var.find(), "var " + name + " has a literal value");
        return var.group(1);
    }

    /** The text of a Bicep multi-line string variable ({@code var name = '''...'''}). */
    private static String bicepMultiline(String bicep, String name) {
        Matcher var = Pattern.compile("(?ms)^var " + name + " = '''\n(.*?)'''$").matcher(bicep);
        assertTrue(var.find(), "var " + name + " is a multi-line string");
        return var.group(1);
    }

    /** The literal default of a main.bicep string parameter. */
    private static String paramDefault(String main, String param) {
        Matcher declared = Pattern.compile("(?m)^param " + param + " string = '([^']*)'").matcher(main);
        assertTrue(declared.find(), param + " has a literal default in main.bicep");
        return declared.group(1);
    }

    /** The main.bicep parameter that main passes to the function module as {@code moduleParam}. */
    private static String moduleParamSource(String main, String moduleParam) {
        Matcher passed = Pattern.compile("(?m)^\\s+" + Pattern.quote(moduleParam) + ": (\\w+)$").matcher(moduleBody(main, "function"));
        assertTrue(passed.find(), "main.bicep passes " + moduleParam + " from a parameter");
        return passed.group(1);
    }

    private static Map<String, String> infraAppSettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = APP_SETTING.matcher(read("infra/app/function.bicep"));
        while (m.find()) {
            assertEquals(null, settings.put(m.group(1), m.group(2).trim()), "app setting set twice: " + m.group(1));
        }
        assertFalse(settings.isEmpty(), "function.bicep has app settings");
        return settings;
    }

    private static Map<String, String> pluginAppSettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<property>\\s*<name>([^<]+)</name>\\s*<value>([^<]*)</value>\\s*</property>")
                .matcher(pomPluginConfiguration());
        while (m.find()) {
            settings.put(m.group(1), m.group(2));
        }
        return settings;
    }

    /** For an infra setting whose value is a function module parameter, the default main.bicep gives it. */
    private static String defaultOfBicepParam(String main, String moduleParam) {
        return paramDefault(main, moduleParamSource(main, moduleParam));
    }

    private static String defaultOf(JsonNode parameters, String name) {
        Matcher m = Pattern.compile("^\\$\\{\\w+=([^}]*)}$").matcher(parameters.path(name).path("value").asText());
        assertTrue(m.find(), name + " has a default in main.parameters.json");
        return m.group(1);
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(pom);
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static String pomPluginConfiguration() throws IOException {
        String pom = read("pom.xml");
        int plugin = pom.indexOf("<artifactId>azure-functions-maven-plugin</artifactId>");
        assertTrue(plugin >= 0, "pom.xml has the azure-functions-maven-plugin");
        int start = pom.indexOf("<configuration>", plugin);
        int end = pom.indexOf("</configuration>", start);
        assertTrue(start > plugin && end > start && pom.indexOf("</plugin>", plugin) > end, "the plugin has a configuration");
        return pom.substring(start, end);
    }

    private static String moduleBody(String main, String symbol) {
        Matcher m = Pattern.compile("module " + symbol + " '[^']+' = \\{").matcher(main);
        assertTrue(m.find(), "main.bicep declares module " + symbol);
        return block(main, m.end() - 1);
    }

    /** The text of the brace block that opens at {@code open}. */
    private static String block(String text, int open) {
        assertEquals('{', text.charAt(open));
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open, i + 1);
            }
        }
        throw new AssertionError("unbalanced braces after offset " + open);
    }

    private static List<Path> templateFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("infra"))) {
            return files.filter(f -> f.toString().endsWith(".bicep") || f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }
}
