package io.pyrometer.config;

import java.util.List;

/** The service discovery mechanisms of one scrape job or Alertmanager set that Pyrometer implements. */
public record ServiceDiscoveryConfigs(
        List<StaticConfig> staticConfigs,
        List<FileSdConfig> fileSdConfigs,
        List<HttpSdConfig> httpSdConfigs,
        List<DnsSdConfig> dnsSdConfigs,
        List<KubernetesSdConfig> kubernetesSdConfigs) {

    public static final ServiceDiscoveryConfigs EMPTY = new ServiceDiscoveryConfigs(List.of(), List.of(), List.of(), List.of());

    public ServiceDiscoveryConfigs {
        staticConfigs = List.copyOf(staticConfigs);
        fileSdConfigs = List.copyOf(fileSdConfigs);
        httpSdConfigs = List.copyOf(httpSdConfigs);
        dnsSdConfigs = List.copyOf(dnsSdConfigs);
        kubernetesSdConfigs = List.copyOf(kubernetesSdConfigs);
    }

    /** Without Kubernetes discovery. */
    public ServiceDiscoveryConfigs(List<StaticConfig> staticConfigs, List<FileSdConfig> fileSdConfigs,
                                   List<HttpSdConfig> httpSdConfigs, List<DnsSdConfig> dnsSdConfigs) {
        this(staticConfigs, fileSdConfigs, httpSdConfigs, dnsSdConfigs, List.of());
    }

    public boolean isEmpty() {
        return staticConfigs.isEmpty() && fileSdConfigs.isEmpty() && httpSdConfigs.isEmpty() && dnsSdConfigs.isEmpty()
                && kubernetesSdConfigs.isEmpty();
    }
}
