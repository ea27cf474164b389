package io.pyrometer.discovery;

/** Label names discovery mechanisms set, as named in Prometheus ({@code model.AddressLabel}, ...). */
public final class TargetLabelNames {
    private TargetLabelNames() {}

    public static final String ADDRESS = "__address__";
    public static final String META_PREFIX = "__meta_";
    public static final String FILE_PATH = "__meta_filepath";
    public static final String URL = "__meta_url";
    public static final String DNS_NAME = "__meta_dns_name";
    public static final String DNS_SRV_TARGET = "__meta_dns_srv_record_target";
    public static final String DNS_SRV_PORT = "__meta_dns_srv_record_port";
    public static final String DNS_MX_TARGET = "__meta_dns_mx_record_target";
    public static final String DNS_NS_TARGET = "__meta_dns_ns_record_target";
}
