//! librdkafka configuration from the shared connection flags, including the
//! Java client settings people bring in a `--command-config` file, which are
//! translated where librdkafka has an equivalent and refused with a hint
//! where it does not.

use std::time::Duration;

use rdkafka::ClientConfig;

/// The connection settings in force: flags, environment and profile merged.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub bootstrap: String,
    /// librdkafka properties, in order: the profile's first, then the
    /// `--command-config` file's, then `-X` flags, so later ones win.
    pub properties: Vec<(String, String)>,
    /// How long to wait for the broker to answer before giving up.
    pub timeout: Duration,
}

impl ClientOptions {
    /// A librdkafka configuration: our defaults first, then the user's
    /// properties, which win.
    pub fn config(&self, defaults: &[(&str, String)]) -> Result<ClientConfig, String> {
        let mut config = ClientConfig::new();
        config
            .set("bootstrap.servers", &self.bootstrap)
            .set("client.id", "dq");
        // rdkafka derives librdkafka's log level from the `log` crate, which
        // is silent here; warnings carry the reason a connection failed.
        config.set_log_level(rdkafka::config::RDKafkaLogLevel::Warning);
        for (k, v) in defaults {
            config.set(*k, v);
        }
        for (k, v) in &self.properties {
            for (k, v) in translate(k, v)? {
                config.set(k, v);
            }
        }
        Ok(config)
    }
}

/// `30s`, `500ms`, `2m`, `1h`, `1d`; a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("'{s}' is not a duration (examples: 30s, 500ms, 2m, 1h)"))?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        other => return Err(format!("'{other}' in '{s}' is not a unit (ms, s, m, h, d)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("'{s}' is out of range"))
}

/// Maps one Java-client property to librdkafka ones (usually itself).
pub fn translate(key: &str, value: &str) -> Result<Vec<(String, String)>, String> {
    let same = || Ok(vec![(key.to_string(), value.to_string())]);
    match key {
        // Serializers are a JVM concept; bytes are bytes here.
        "key.serializer" | "value.serializer" | "key.deserializer" | "value.deserializer" => {
            Ok(vec![])
        }
        "sasl.jaas.config" => jaas(value),
        "ssl.endpoint.identification.algorithm" if value.is_empty() => {
            Ok(vec![(key.to_string(), "none".to_string())])
        }
        "ssl.truststore.location" | "ssl.keystore.location" if !value.ends_with(".pem") => {
            Err(format!(
                "{key}={value}: librdkafka cannot read Java keystores; convert it to PEM and set \
             ssl.ca.location (truststore) or ssl.certificate.location/ssl.key.location (keystore)"
            ))
        }
        "ssl.truststore.location" => Ok(vec![("ssl.ca.location".into(), value.into())]),
        "ssl.keystore.location" => Ok(vec![("ssl.certificate.location".into(), value.into())]),
        "ssl.truststore.type" | "ssl.keystore.type" | "ssl.truststore.password" => Ok(vec![]),
        _ => same(),
    }
}

/// `org.apache.kafka.common.security.plain.PlainLoginModule required
/// username="u" password="p";` → sasl.username / sasl.password.
fn jaas(value: &str) -> Result<Vec<(String, String)>, String> {
    if value.contains("OAuthBearerLoginModule") {
        return Err(
            "sasl.jaas.config with OAuthBearerLoginModule has no librdkafka equivalent; \
                    set sasl.oauthbearer.* properties instead"
                .into(),
        );
    }
    let field = |name: &str| -> Option<String> {
        let start = value.find(&format!("{name}=\""))? + name.len() + 2;
        let end = value[start..].find('"')? + start;
        Some(value[start..end].to_string())
    };
    match (field("username"), field("password")) {
        (Some(u), Some(p)) => Ok(vec![("sasl.username".into(), u), ("sasl.password".into(), p)]),
        _ => Err("sasl.jaas.config: expected username=\"…\" password=\"…\" (PLAIN or SCRAM login module)".into()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{parse_duration, translate};

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn java_settings_become_librdkafka_ones() {
        let jaas = r#"org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr=t";"#;
        assert_eq!(
            translate("sasl.jaas.config", jaas).unwrap(),
            vec![
                ("sasl.username".into(), "alice".into()),
                ("sasl.password".into(), "s3cr=t".into())
            ]
        );
        assert_eq!(translate("security.protocol", "SASL_SSL").unwrap().len(), 1);
        assert!(translate("key.serializer", "x").unwrap().is_empty());
        let err = translate("ssl.truststore.location", "/etc/trust.jks").unwrap_err();
        assert!(err.contains("PEM"), "{err}");
    }
}
