package io.pyrometer.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.KubernetesSdConfig;
import io.pyrometer.config.KubernetesSdConfig.AttachMetadata;
import io.pyrometer.config.KubernetesSdConfig.Namespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the API server is reached: in-cluster service account, kubeconfig_file, api_server (kubernetes.go New). */
class ClientConfigsTest {
    @TempDir
    Path dir;

    private static KubernetesSdConfig cfg(String apiServer, String kubeconfig, Namespaces ns) {
        return new KubernetesSdConfig("pod", apiServer, kubeconfig, HttpClientConfig.DEFAULT, ns, List.of(), AttachMetadata.NONE);
    }

    @Test
    void inClusterUsesTheServiceAccountAndItsNamespace() throws Exception {
        Files.writeString(dir.resolve("token"), "tok-1\n");
        Files.writeString(dir.resolve("namespace"), "monitoring");
        var r = ClientConfigs.resolve(cfg("", "", new Namespaces(true, List.of("extra"))),
                new ClientConfigs.InCluster("10.96.0.1", "443", dir));
        assertThat(r.config().getMasterUrl()).startsWith("https://10.96.0.1:443");
        assertThat(r.config().getCaCertFile()).isEqualTo(dir.resolve("ca.crt").toString());
        assertThat(r.config().getOauthTokenProvider().getToken()).isEqualTo("tok-1");
        assertThat(r.ownNamespace()).isEqualTo("monitoring");
        assertThat(KubernetesDiscoverer.namespaces(new Namespaces(true, List.of("extra")), r.ownNamespace()))
                .containsExactly("extra", "monitoring");
        assertThat(KubernetesDiscoverer.namespaces(Namespaces.ALL, null)).containsExactly("");
    }

    @Test
    void outsideAClusterWithoutApiServerOrKubeconfigTheConfigCannotStart() {
        assertThatThrownBy(() -> ClientConfigs.resolve(cfg("", "", Namespaces.ALL), new ClientConfigs.InCluster(null, null, dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
                .hasMessageContaining("set api_server or kubeconfig_file");
    }

    @Test
    void kubeconfigFileGivesTheCurrentContextsServerAndToken() throws Exception {
        Path kc = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                current-context: test
                clusters:
                  - name: c
                    cluster: {server: "https://k8s.example:6443", insecure-skip-tls-verify: true}
                users:
                  - name: u
                    user: {token: secret-token}
                contexts:
                  - name: test
                    context: {cluster: c, user: u, namespace: ns1}
                """);
        var r = ClientConfigs.resolve(cfg("", kc.toString(), Namespaces.ALL), new ClientConfigs.InCluster(null, null, dir));
        assertThat(r.config().getMasterUrl()).startsWith("https://k8s.example:6443");
        assertThat(r.config().getOauthToken() != null ? r.config().getOauthToken() : r.config().getAutoOAuthToken())
                .isEqualTo("secret-token");
        assertThat(r.config().isTrustCerts()).isTrue();
    }

    @Test
    void anUnreadableKubeconfigNamesTheFile() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ClientConfigs.resolve(cfg("", missing.toString(), Namespaces.ALL), new ClientConfigs.InCluster(null, null, dir)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kubeconfig_file").hasMessageContaining(missing.toString());
    }
}
