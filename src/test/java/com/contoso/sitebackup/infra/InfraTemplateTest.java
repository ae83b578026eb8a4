package com.contoso.sitebackup.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Bicep compiler cannot run here, so these tests read infra/, host.json, pom.xml and the README as text
 * and check that they agree with each other and with the code, and that no secret is anywhere.
 */
class InfraTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Role definitions the template may assign, by id (built-in Azure roles). */
    private static final Set<String> KNOWN_ROLES = Set.of(
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (task hub: leases, large messages)
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor (backup account)
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor (task hub queues)
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3c", // Storage Table Data Contributor (task hub history)
            "3913510d-42f4-4e42-8a64-420c390055eb"); // Monitoring Metrics Publisher (Entra-authenticated telemetry)

    @Test
    void appSettings_everySettingTheCodeReads_isSetByInfraUnlessLocalOnly() throws IOException {
        String function = read("infra/app/function.bicep");
        for (String name : Settings.NAMES) {
            boolean set = function.contains("name: '" + name + "'");
            assertEquals(!name.equals(Settings.BACKUP_STORAGE), set, name + (set ? " is set" : " is not set")
                    + " by infra (only the local connection string " + Settings.BACKUP_STORAGE + " may be missing)");
        }
    }

    @Test
    void readme_everySettingTheCodeReads_isDocumented() throws IOException {
        String readme = read("README.md");
        for (String name : Settings.NAMES) {
            assertTrue(readme.contains("`" + name + "`"), name + " is documented in README.md");
        }
    }

    @Test
    void taskHub_hostJsonAndInfra_agree() throws IOException {
        String hubName = JSON.readTree(read("host.json")).path("extensions").path("durableTask").path("hubName").asText();
        assertEquals("%TASK_HUB_NAME%", hubName, "host.json takes the hub name from an app setting");
        Matcher defaultHub = Pattern.compile("param taskHubName string = '([^']+)'").matcher(read("infra/main.bicep"));
        assertTrue(defaultHub.find());
        assertTrue(read("infra/app/function.bicep").contains("{ name: 'TASK_HUB_NAME', value: taskHubName }"));
        assertEquals(defaultHub.group(1), JSON.readTree(read("local.settings.json")).path("Values").path("TASK_HUB_NAME").asText());
        assertTrue(pomPluginConfiguration().contains("<name>TASK_HUB_NAME</name>\n              <value>" + defaultHub.group(1) + "</value>"));
    }

    @Test
    void infraAndPlugin_noKeysOrSecretsAnywhere() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("infra"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".bicep") || f.toString().endsWith(".json")).toList()) {
                texts.add(file + "\n" + Files.readString(file));
            }
        }
        texts.add("azure.yaml\n" + read("azure.yaml"));
        texts.add("pom.xml plugin\n" + pomPluginConfiguration());
        Pattern secrets = Pattern.compile("(?i)AccountKey=|listKeys\\(|SharedAccessSignature|sig=|password|"
                + "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING|DefaultEndpointsProtocol");
        for (String text : texts) {
            Matcher found = secrets.matcher(text);
            assertFalse(found.find(), () -> "secret-like text '" + found.group() + "' in " + text.lines().findFirst().orElse(""));
        }
    }

    @Test
    void storageAccounts_everyOne_disallowsSharedKeyAccess() throws IOException {
        String storage = read("infra/app/storage.bicep");
        assertEquals(1, count(storage, "resource account 'Microsoft.Storage/storageAccounts@"));
        assertTrue(storage.contains("allowSharedKeyAccess: false"));
        assertTrue(storage.contains("allowBlobPublicAccess: false"));
        String main = read("infra/main.bicep");
        assertEquals(2, count(main, "'app/storage.bicep'"), "both accounts come from the one module");
    }

    @Test
    void backupAccount_versioningAndSoftDelete_areOn() throws IOException {
        String storage = read("infra/app/storage.bicep");
        assertTrue(storage.contains("isVersioningEnabled: true"));
        assertTrue(Pattern.compile("deleteRetentionPolicy: \\{\\s*enabled: true").matcher(storage).find());
        assertTrue(Pattern.compile("containerDeleteRetentionPolicy: \\{\\s*enabled: true").matcher(storage).find());
        String main = read("infra/main.bicep");
        Matcher backup = Pattern.compile("module backupStorage 'app/storage.bicep' = \\{.*?backupFeatures: (\\w+)",
                Pattern.DOTALL).matcher(main);
        assertTrue(backup.find());
        assertEquals("true", backup.group(1), "the backup account is created with backupFeatures: true");
    }

    @Test
    void parameters_validJsonNamingOnlyDeclaredParameters() throws IOException {
        JsonNode parameters = JSON.readTree(read("infra/main.parameters.json")).path("parameters");
        Set<String> declared = new HashSet<>();
        Matcher param = Pattern.compile("(?m)^param (\\w+) ").matcher(read("infra/main.bicep"));
        while (param.find()) {
            declared.add(param.group(1));
        }
        assertFalse(parameters.isEmpty());
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(declared.contains(name), name + " is declared in main.bicep " + declared);
        }
        JSON.readTree(read("infra/abbreviations.json"));
    }

    @Test
    void pluginAndInfra_sameAppResourceGroupAndPlanDefaults() throws IOException {
        String pom = read("pom.xml");
        JsonNode parameters = JSON.readTree(read("infra/main.parameters.json")).path("parameters");
        assertEquals(defaultOf(parameters, "functionAppName"), property(pom, "functionAppName"));
        assertEquals(defaultOf(parameters, "resourceGroupName"), property(pom, "functionResourceGroup"));
        assertEquals(defaultOf(parameters, "appServicePlanName"), property(pom, "functionAppServicePlan"));
        String main = read("infra/main.bicep");
        assertTrue(main.contains("param functionAppName string = '" + property(pom, "functionAppName") + "'"));
        assertTrue(main.contains("param resourceGroupName string = '" + property(pom, "functionResourceGroup") + "'"));
        String function = read("infra/app/function.bicep");
        assertTrue(function.contains("name: 'P1v3'") && pomPluginConfiguration().contains("<pricingTier>P1v3</pricingTier>"));
        assertTrue(function.contains("linuxFxVersion: 'Java|17'") && pomPluginConfiguration().contains("<javaVersion>17</javaVersion>"));
        for (String setting : List.of("FUNCTIONS_EXTENSION_VERSION", "LC_ALL", "BACKUP_CONTAINER", "BACKUP_MANIFEST_CONTAINER")) {
            Matcher infraValue = Pattern.compile("\\{ name: '" + setting + "', value: '([^']*)' }").matcher(function);
            assertTrue(infraValue.find(), setting + " in infra");
            assertTrue(pomPluginConfiguration().contains("<name>" + setting + "</name>\n              <value>"
                    + infraValue.group(1) + "</value>"), setting + " agrees in the plugin configuration");
        }
    }

    @Test
    void roleAssignments_useOnlyKnownLeastPrivilegeRoles() throws IOException {
        String rbac = read("infra/app/rbac.bicep");
        Matcher ids = Pattern.compile("'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'").matcher(rbac);
        Set<String> used = new HashSet<>();
        while (ids.find()) {
            used.add(ids.group(1));
        }
        assertEquals(KNOWN_ROLES, used);
        assertFalse(rbac.contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), "never Owner");
        assertFalse(rbac.contains("b24988ac-6180-42a0-ab88-20f7382dd24c"), "never Contributor");
        assertEquals(3, count(rbac, "principalId: identityPrincipalId"), "hub roles (one loop), backup, telemetry");
    }

    @Test
    void appInsights_outputIsTheConnectionString() throws IOException {
        String monitoring = read("infra/app/monitoring.bicep");
        assertTrue(monitoring.contains("output appInsightsConnectionString string = appInsights.properties.ConnectionString"));
        assertTrue(read("infra/main.bicep").contains("appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString"));
    }

    private static String defaultOf(JsonNode parameters, String name) {
        Matcher m = Pattern.compile("=([^}]*)}").matcher(parameters.path(name).path("value").asText());
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
        return pom.substring(pom.indexOf("<configuration>", plugin), pom.indexOf("</configuration>", plugin));
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
