package com.contoso.sitebackup.infra;

import com.contoso.sitebackup.config.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Bicep compiler cannot run on the build machines, so these tests read infra/, azure.yaml, host.json,
 * pom.xml and the READMEs as text and check that they agree with each other and with the code, and that
 * no key or secret is anywhere. Paths are relative to the project base directory (Maven's working directory).
 */
class InfraTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The built-in roles the template may assign, by the key rbac.bicep names them with and their fixed id
     * (the same table is in infra/README.md). Anything else, Owner and Contributor above all, is refused.
     */
    private static final Map<String, String> KNOWN_ROLES = Map.of(
            "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",        // task hub: host and provider leases, large messages
            "storageBlobDataContributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",  // backup account: blobs and manifests
            "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // task hub: control and work-item queues
            "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // task hub: history and instances tables
            "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb"); // Entra-authenticated telemetry

    /** Secret-shaped text that must appear in no template file and not in the plugin configuration. */
    private static final Pattern SECRETS = Pattern.compile("(?i)AccountKey=|listKeys|SharedAccessSignature|sig=|"
            + "DefaultEndpointsProtocol|WEBSITE_CONTENTAZUREFILECONNECTIONSTRING|password|secret\\(|"
            + "primaryKey|InstrumentationKey=");

    private static final Pattern APP_SETTING = Pattern.compile("\\{ name: '([^']+)', value: ('[^']*'|[\\w.]+) }");

    @Test
    void appSettings_everySettingTheCodeReads_isSetByInfra() throws IOException {
        Map<String, String> infra = infraAppSettings();
        for (String name : Settings.NAMES) {
            if (name.equals(Settings.BACKUP_STORAGE)) {
                assertFalse(infra.containsKey(name), name + " is the local-only connection string: infra must not set it");
            } else {
                assertTrue(infra.containsKey(name), name + " is read by the code but not set by infra/app/function.bicep");
            }
        }
        assertEquals("'backups'", infra.get(Settings.BACKUP_CONTAINER));
        assertEquals("'backup-manifests'", infra.get(Settings.BACKUP_MANIFEST_CONTAINER));
        assertEquals("backupBlobEndpoint", infra.get(Settings.BACKUP_STORAGE_SERVICE_URI));
        assertEquals("identityClientId", infra.get(Settings.BACKUP_STORAGE_CLIENT_ID));
        assertEquals("readRoots", infra.get(Settings.BACKUP_READ_ROOTS));
        assertEquals("writeRoots", infra.get(Settings.BACKUP_WRITE_ROOTS));
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
    void readme_everySettingTheCodeReads_isDocumented() throws IOException {
        String readme = read("README.md");
        for (String name : Settings.NAMES) {
            assertTrue(readme.contains(name), name + " is documented in README.md");
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
            texts.put(file.toString(), Files.readString(file));
        }
        texts.put("azure.yaml", read("azure.yaml"));
        texts.put("pom.xml azure-functions-maven-plugin <configuration>", pomPluginConfiguration());
        assertTrue(texts.size() >= 8, "read the templates: " + texts.keySet());
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
                assertTrue(body.contains("allowSharedKeyAccess: false"), file + ": allowSharedKeyAccess false");
                assertTrue(body.contains("allowBlobPublicAccess: false"), file + ": no public blob access");
                assertTrue(body.contains("minimumTlsVersion: 'TLS1_2'"), file + ": TLS 1.2");
            }
        }
        assertTrue(created >= 1, "at least one storage account is declared");
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
                    : defaultOfBicepParam(main, setting.getKey(), infraValue);
            assertEquals(expected, setting.getValue(), setting.getKey() + " agrees between the plugin and infra");
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

    // ---- helpers ----

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

    /** For an infra setting whose value is a module parameter, the default main.bicep gives that parameter. */
    private static String defaultOfBicepParam(String main, String setting, String moduleParam) {
        Matcher passed = Pattern.compile("(?m)^\\s+" + Pattern.quote(moduleParam) + ": (\\w+)$").matcher(main);
        assertTrue(passed.find(), setting + ": main.bicep passes " + moduleParam);
        Matcher declared = Pattern.compile("(?m)^param " + passed.group(1) + " string = '([^']*)'").matcher(main);
        assertTrue(declared.find(), setting + ": " + passed.group(1) + " has a literal default in main.bicep");
        return declared.group(1);
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
