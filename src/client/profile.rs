//! Named connections and where a command's connection settings come from.
//! The config file (`$DQ_CONFIG`, else `$XDG_CONFIG_HOME/dq/config.toml`,
//! else `~/.config/dq/config.toml`) holds profiles: a bootstrap address, a
//! timeout and librdkafka properties. [`resolve`] merges the command line,
//! the environment, the selected profile and the built-in defaults, in that
//! order of precedence, into [`ClientOptions`], and keeps the source of every
//! value so `dq profile show` can say why a setting is what it is. Nothing
//! here prints.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;
use toml::Spanned;

use super::config::parse_duration;
use super::ClientOptions;

pub const DEFAULT_BOOTSTRAP: &str = "localhost:9092";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

pub const ENV_CONFIG: &str = "DQ_CONFIG";
pub const ENV_PROFILE: &str = "DQ_PROFILE";
pub const ENV_BOOTSTRAP: &str = "DQ_BOOTSTRAP_SERVERS";

/// Reads the process environment; an empty variable counts as unset, so
/// `DQ_PROFILE= dq …` switches a profile off.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Where a value in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag, by the name a person typed.
    Flag(&'static str),
    /// An environment variable, by name.
    Env(&'static str),
    /// The named profile.
    Profile(String),
    /// A `--command-config` properties file.
    CommandConfig(PathBuf),
    /// The config file's `default = "…"` key (selects a profile).
    ConfigDefault,
    /// Built in.
    Default,
}

impl Source {
    /// The stable one-word name `--output json` prints.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Flag(_) => "flag",
            Source::Env(_) => "env",
            Source::Profile(_) => "profile",
            Source::CommandConfig(_) => "command-config",
            Source::ConfigDefault => "config",
            Source::Default => "default",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "{flag}"),
            Source::Env(name) => write!(f, "${name}"),
            Source::Profile(name) => write!(f, "profile {name}"),
            Source::CommandConfig(path) => write!(f, "--command-config {}", path.display()),
            Source::ConfigDefault => write!(f, "`default` in the config file"),
            Source::Default => write!(f, "default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// One librdkafka property and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub key: String,
    pub value: String,
    pub source: Source,
}

/// Whether a property's value is a credential, to be shown as `***`.
pub fn is_sensitive(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "secret", "sasl.jaas.config", "ssl.key.pem"]
        .iter()
        .any(|word| key.contains(word))
}

/// One named connection from the config file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub bootstrap: Option<String>,
    pub timeout: Option<Duration>,
    /// Sorted by key: a TOML table has no order a person could rely on.
    pub properties: Vec<(String, String)>,
}

/// The config file as written; unknown keys are refused, so a misspelled
/// `bootstrap_servers` is an error rather than a silently ignored line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    default: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileFormat>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFormat {
    bootstrap: Option<Spanned<String>>,
    /// `"10s"` like `--timeout`, or a bare number of seconds.
    timeout: Option<Spanned<toml::Value>>,
    #[serde(default)]
    properties: BTreeMap<String, Spanned<toml::Value>>,
}

/// The config file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// The profile used when none is selected.
    pub default: Option<String>,
    /// Sorted by name.
    pub profiles: Vec<Profile>,
}

impl ConfigFile {
    /// Parses `text`; errors read `FILE:LINE:COLUMN: what is wrong`.
    pub fn parse(path: &Path, text: &str) -> anyhow::Result<ConfigFile> {
        let at = |span: std::ops::Range<usize>| {
            let (line, column) = line_column(text, span.start);
            format!("{}:{line}:{column}", path.display())
        };
        let raw: FileFormat = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => anyhow::anyhow!("{}: {}", at(span), e.message().trim_end()),
            None => anyhow::anyhow!("{}: {}", path.display(), e.message().trim_end()),
        })?;
        let mut profiles = Vec::new();
        for (name, p) in raw.profiles {
            let bootstrap = match p.bootstrap {
                Some(b) if b.get_ref().trim().is_empty() => {
                    anyhow::bail!("{}: profile {name}: bootstrap is empty", at(b.span()))
                }
                b => b.map(Spanned::into_inner),
            };
            let timeout = match p.timeout {
                None => None,
                Some(t) => Some(timeout_value(t.get_ref()).map_err(|e| {
                    anyhow::anyhow!("{}: profile {name}: timeout {e}", at(t.span()))
                })?),
            };
            let mut properties = Vec::new();
            for (key, value) in p.properties {
                let text = property_value(value.get_ref()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: profile {name}: property {key} must be a string, number or boolean",
                        at(value.span())
                    )
                })?;
                properties.push((key, text));
            }
            profiles.push(Profile {
                name,
                bootstrap,
                timeout,
                properties,
            });
        }
        let file = ConfigFile {
            path: path.to_path_buf(),
            default: raw.default.as_ref().map(|d| d.get_ref().clone()),
            profiles,
        };
        if let Some(default) = &raw.default {
            if file.get(default.get_ref()).is_none() {
                anyhow::bail!(
                    "{}: default profile '{}' is not defined; {}",
                    at(default.span()),
                    default.get_ref(),
                    file.known()
                );
            }
        }
        Ok(file)
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// "the profiles there are: a, b" for error messages.
    fn known(&self) -> String {
        if self.profiles.is_empty() {
            format!("{} defines no profiles", self.path.display())
        } else {
            let names: Vec<&str> = self.profiles.iter().map(|p| p.name.as_str()).collect();
            format!("the profiles there are: {}", names.join(", "))
        }
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn timeout_value(value: &toml::Value) -> Result<Duration, String> {
    match value {
        toml::Value::String(s) => parse_duration(s),
        toml::Value::Integer(n) if *n >= 0 => Ok(Duration::from_secs(*n as u64)),
        other => Err(format!("must be a duration such as \"10s\", not {other}")),
    }
}

/// librdkafka takes every value as a string; TOML's `true` and `5` are
/// accepted so a file can be written naturally.
fn property_value(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(n) => Some(n.to_string()),
        toml::Value::Float(x) => Some(x.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where the config file is (or would be), and whether it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profiles {
    /// `None` only when neither `$DQ_CONFIG`, `$XDG_CONFIG_HOME` nor `$HOME`
    /// is set.
    pub path: Option<PathBuf>,
    /// `Env(DQ_CONFIG)` or `Default`.
    pub path_source: Source,
    /// `None` when there is no file at `path`.
    pub file: Option<ConfigFile>,
}

impl Profiles {
    /// Finds and reads the config file. A missing file is an error only when
    /// `$DQ_CONFIG` names it: then the user asked for that file.
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Profiles> {
        let (path, path_source) = match env(ENV_CONFIG) {
            Some(p) => (Some(PathBuf::from(p)), Source::Env(ENV_CONFIG)),
            None => (default_path(env), Source::Default),
        };
        let file = match &path {
            None => None,
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => Some(ConfigFile::parse(path, &text)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if path_source == Source::Env(ENV_CONFIG) {
                        anyhow::bail!(
                            "config file {} (from ${ENV_CONFIG}) does not exist",
                            path.display()
                        );
                    }
                    None
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot read config file {}", path.display()))
                }
            },
        };
        Ok(Profiles {
            path,
            path_source,
            file,
        })
    }

    /// The profile in force: `--profile`, else `$DQ_PROFILE`, else the
    /// file's `default`; none when nothing selects one. Naming a profile
    /// the file does not define is an error listing those it does.
    pub fn selected(
        &self,
        flag: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Option<(&Profile, Source)>> {
        let (name, source) = match (flag, env(ENV_PROFILE)) {
            (Some(name), _) => (name.to_string(), Source::Flag("--profile")),
            (None, Some(name)) => (name, Source::Env(ENV_PROFILE)),
            (None, None) => match self.file.as_ref().and_then(|f| f.default.clone()) {
                Some(name) => (name, Source::ConfigDefault),
                None => return Ok(None),
            },
        };
        let Some(file) = &self.file else {
            let place = match &self.path {
                Some(path) => format!("there is no config file at {}", path.display()),
                None => format!("there is no config file (set ${ENV_CONFIG})"),
            };
            anyhow::bail!("profile '{name}' (from {source}) is not defined: {place}");
        };
        match file.get(&name) {
            Some(profile) => Ok(Some((profile, source))),
            None => anyhow::bail!(
                "profile '{name}' (from {source}) is not defined in {}; {}",
                file.path.display(),
                file.known()
            ),
        }
    }
}

/// `$XDG_CONFIG_HOME/dq/config.toml`, else `~/.config/dq/config.toml`, as
/// `dq serve` finds its data directory; the XDG layout on macOS too, where
/// command-line tools conventionally keep dotfiles in `~/.config`.
fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = match env("XDG_CONFIG_HOME").map(PathBuf::from) {
        // The XDG spec says to ignore a relative value.
        Some(dir) if dir.is_absolute() => dir,
        _ => PathBuf::from(env("HOME")?).join(".config"),
    };
    Some(base.join("dq").join("config.toml"))
}

/// What the command line said about the connection.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub bootstrap: Option<String>,
    pub timeout: Option<Duration>,
    pub profile: Option<String>,
    /// The `--command-config` file's properties, then `-X` ones.
    pub properties: Vec<Property>,
}

/// The connection settings in force, each with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub profiles: Profiles,
    /// The selected profile's name.
    pub profile: Option<Sourced<String>>,
    pub bootstrap: Sourced<String>,
    pub timeout: Sourced<Duration>,
    /// In the order they are applied (the profile's, then the request's);
    /// a later one with the same key wins.
    pub properties: Vec<Property>,
}

impl Resolved {
    pub fn options(&self) -> ClientOptions {
        ClientOptions {
            bootstrap: self.bootstrap.value.clone(),
            properties: self
                .properties
                .iter()
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect(),
            timeout: self.timeout.value,
        }
    }

    /// One property per key, the one that wins, in the order applied.
    pub fn effective_properties(&self) -> Vec<&Property> {
        let mut out: Vec<&Property> = Vec::new();
        for p in &self.properties {
            out.retain(|q| q.key != p.key);
            out.push(p);
        }
        out
    }
}

/// Settles each connection setting. Bootstrap: `-b`, else
/// `$DQ_BOOTSTRAP_SERVERS`, else the profile's, else `localhost:9092`.
/// Timeout: `--timeout`, else the profile's, else 30s. Properties: the
/// profile's first, then the request's, so a `--command-config` file or `-X`
/// overrides the profile key by key.
pub fn resolve(
    request: &Request,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Resolved> {
    let profiles = Profiles::load(env)?;
    let selected = profiles.selected(request.profile.as_deref(), env)?;
    let chosen: Option<&Profile> = selected.as_ref().map(|(p, _)| *p);
    let from_profile = |p: &Profile| Source::Profile(p.name.clone());

    let bootstrap = if let Some(b) = &request.bootstrap {
        Sourced {
            value: b.clone(),
            source: Source::Flag("--bootstrap-server"),
        }
    } else if let Some(b) = env(ENV_BOOTSTRAP) {
        Sourced {
            value: b,
            source: Source::Env(ENV_BOOTSTRAP),
        }
    } else if let Some((p, b)) = chosen.and_then(|p| Some((p, p.bootstrap.clone()?))) {
        Sourced {
            value: b,
            source: from_profile(p),
        }
    } else {
        Sourced {
            value: DEFAULT_BOOTSTRAP.to_string(),
            source: Source::Default,
        }
    };

    let timeout = if let Some(t) = request.timeout {
        Sourced {
            value: t,
            source: Source::Flag("--timeout"),
        }
    } else if let Some((p, t)) = chosen.and_then(|p| Some((p, p.timeout?))) {
        Sourced {
            value: t,
            source: from_profile(p),
        }
    } else {
        Sourced {
            value: DEFAULT_TIMEOUT,
            source: Source::Default,
        }
    };

    let mut properties = Vec::new();
    if let Some(p) = chosen {
        properties.extend(p.properties.iter().map(|(k, v)| Property {
            key: k.clone(),
            value: v.clone(),
            source: from_profile(p),
        }));
    }
    properties.extend(request.properties.iter().cloned());

    let profile = selected.map(|(p, source)| Sourced {
        value: p.name.clone(),
        source,
    });
    Ok(Resolved {
        profiles,
        profile,
        bootstrap,
        timeout,
        properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config file in a temporary directory, found through `$DQ_CONFIG`.
    struct Setup {
        _dir: tempfile::TempDir,
        vars: Vec<(&'static str, String)>,
    }

    impl Setup {
        fn new(config: &str) -> Setup {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("config.toml");
            std::fs::write(&path, config).unwrap();
            Setup {
                vars: vec![(ENV_CONFIG, path.display().to_string())],
                _dir: dir,
            }
        }

        fn with(mut self, name: &'static str, value: &str) -> Setup {
            self.vars.push((name, value.to_string()));
            self
        }

        fn resolve(&self, request: &Request) -> anyhow::Result<Resolved> {
            let env = |name: &str| {
                self.vars
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
            };
            resolve(request, &env)
        }
    }

    const FILE: &str = r#"
default = "local"
[profiles.local]
bootstrap = "localhost:9092"
[profiles.prod]
bootstrap = "broker1:9093,broker2:9093"
timeout = "10s"
[profiles.prod.properties]
"security.protocol" = "SASL_SSL"
"sasl.password" = "hunter2"
"enable.ssl.certificate.verification" = false
"#;

    fn flag_property(key: &str, value: &str) -> Property {
        Property {
            key: key.into(),
            value: value.into(),
            source: Source::Flag("-X"),
        }
    }

    #[test]
    fn bootstrap_is_flag_then_env_then_profile_then_default() {
        let setup = Setup::new(FILE);
        let prod = Request {
            profile: Some("prod".into()),
            ..Request::default()
        };
        let r = setup.resolve(&prod).unwrap();
        assert_eq!(r.bootstrap.value, "broker1:9093,broker2:9093");
        assert_eq!(r.bootstrap.source, Source::Profile("prod".into()));

        let setup = setup.with(ENV_BOOTSTRAP, "env:1");
        let r = setup.resolve(&prod).unwrap();
        assert_eq!(
            (r.bootstrap.value.as_str(), r.bootstrap.source),
            ("env:1", Source::Env(ENV_BOOTSTRAP))
        );

        let flagged = Request {
            bootstrap: Some("flag:1".into()),
            ..prod
        };
        let r = setup.resolve(&flagged).unwrap();
        assert_eq!(
            (r.bootstrap.value.as_str(), r.bootstrap.source),
            ("flag:1", Source::Flag("--bootstrap-server"))
        );

        let bare = Setup::new("[profiles.p]\n");
        let r = bare.resolve(&Request::default()).unwrap();
        assert_eq!(
            (r.bootstrap.value.as_str(), r.bootstrap.source),
            (DEFAULT_BOOTSTRAP, Source::Default)
        );
        assert_eq!(r.profile, None);
    }

    #[test]
    fn timeout_is_flag_then_profile_then_default() {
        let setup = Setup::new(FILE);
        let mut request = Request {
            profile: Some("prod".into()),
            ..Request::default()
        };
        let r = setup.resolve(&request).unwrap();
        assert_eq!(r.timeout.value, Duration::from_secs(10));
        assert_eq!(r.timeout.source, Source::Profile("prod".into()));
        request.timeout = Some(Duration::from_millis(500));
        let r = setup.resolve(&request).unwrap();
        assert_eq!(r.timeout.source, Source::Flag("--timeout"));
        assert_eq!(r.options().timeout, Duration::from_millis(500));
        // The default profile `local` sets no timeout.
        let r = setup.resolve(&Request::default()).unwrap();
        assert_eq!(
            (r.timeout.value, r.timeout.source),
            (DEFAULT_TIMEOUT, Source::Default)
        );
    }

    #[test]
    fn request_properties_override_the_profile_key_by_key() {
        let setup = Setup::new(FILE);
        let request = Request {
            profile: Some("prod".into()),
            properties: vec![flag_property("security.protocol", "SSL")],
            ..Request::default()
        };
        let r = setup.resolve(&request).unwrap();
        let options = r.options();
        assert_eq!(
            options.properties.last(),
            Some(&("security.protocol".to_string(), "SSL".to_string()))
        );
        let effective: Vec<(&str, &str, &str)> = r
            .effective_properties()
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str(), p.source.kind()))
            .collect();
        assert_eq!(
            effective,
            vec![
                ("enable.ssl.certificate.verification", "false", "profile"),
                ("sasl.password", "hunter2", "profile"),
                ("security.protocol", "SSL", "flag"),
            ]
        );
    }

    #[test]
    fn profile_is_flag_then_env_then_file_default() {
        let setup = Setup::new(FILE);
        let r = setup.resolve(&Request::default()).unwrap();
        let profile = r.profile.unwrap();
        assert_eq!(
            (profile.value.as_str(), profile.source),
            ("local", Source::ConfigDefault)
        );

        let setup = setup.with(ENV_PROFILE, "prod");
        let r = setup.resolve(&Request::default()).unwrap();
        assert_eq!(r.profile.unwrap().source, Source::Env(ENV_PROFILE));

        let request = Request {
            profile: Some("local".into()),
            ..Request::default()
        };
        let r = setup.resolve(&request).unwrap();
        let profile = r.profile.unwrap();
        assert_eq!(
            (profile.value.as_str(), profile.source),
            ("local", Source::Flag("--profile"))
        );
    }

    #[test]
    fn an_unknown_profile_lists_the_known_ones() {
        let setup = Setup::new(FILE).with(ENV_PROFILE, "staging");
        let err = setup.resolve(&Request::default()).unwrap_err().to_string();
        assert!(
            err.contains("profile 'staging' (from $DQ_PROFILE) is not defined in")
                && err.ends_with("the profiles there are: local, prod"),
            "{err}"
        );
        let err = Setup::new("default = \"nope\"\n[profiles.a]\n")
            .resolve(&Request::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                ":1:11: default profile 'nope' is not defined; the profiles there are: a"
            ),
            "{err}"
        );
    }

    #[test]
    fn file_mistakes_name_the_file_line_and_column() {
        let cases = [
            (
                "[profiles.p]\nbootstrap_servers = \"x\"\n",
                ":2:1: unknown field `bootstrap_servers`, expected one of `bootstrap`, `timeout`, `properties`",
            ),
            ("profiles = 3\n[oops\n", ":2:6:"),
            (
                "[profiles.p]\ntimeout = \"soon\"\n",
                ":2:11: profile p: timeout 'soon' is not a duration",
            ),
            (
                "[profiles.p.properties]\n\"a.b\" = [1]\n",
                ":2:9: profile p: property a.b must be a string, number or boolean",
            ),
            ("[profiles.p]\nbootstrap = \" \"\n", ":2:13: profile p: bootstrap is empty"),
        ];
        for (text, needle) in cases {
            let err = ConfigFile::parse(Path::new("/c.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("/c.toml:"), "{err}");
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_missing_file_matters_only_when_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().display().to_string();
        let env = |name: &str| (name == "HOME").then(|| home.clone());
        let r = resolve(&Request::default(), &env).unwrap();
        assert_eq!(
            r.profiles.path,
            Some(dir.path().join(".config/dq/config.toml"))
        );
        assert_eq!(r.profiles.file, None);
        assert_eq!(r.bootstrap.source, Source::Default);

        let request = Request {
            profile: Some("prod".into()),
            ..Request::default()
        };
        let err = resolve(&request, &env).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "profile 'prod' (from --profile) is not defined: there is no config file at"
            ),
            "{err}"
        );

        let missing = dir.path().join("nope.toml").display().to_string();
        let env = |name: &str| (name == ENV_CONFIG).then(|| missing.clone());
        let err = resolve(&Request::default(), &env).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("config file {missing} (from $DQ_CONFIG) does not exist")
        );
    }

    #[test]
    fn the_file_is_found_through_xdg_then_home() {
        let env = |name: &str| match name {
            "XDG_CONFIG_HOME" => Some("/xdg".to_string()),
            "HOME" => Some("/home/u".to_string()),
            _ => None,
        };
        assert_eq!(default_path(&env), Some("/xdg/dq/config.toml".into()));
        let env = |name: &str| match name {
            "XDG_CONFIG_HOME" => Some("relative".to_string()),
            "HOME" => Some("/home/u".to_string()),
            _ => None,
        };
        assert_eq!(
            default_path(&env),
            Some("/home/u/.config/dq/config.toml".into())
        );
        assert_eq!(default_path(&|_| None), None);
    }

    #[test]
    fn credentials_are_recognised() {
        for key in [
            "sasl.password",
            "ssl.key.password",
            "sasl.oauthbearer.client.secret",
            "sasl.jaas.config",
            "ssl.key.pem",
        ] {
            assert!(is_sensitive(key), "{key}");
        }
        for key in ["security.protocol", "sasl.username", "ssl.ca.location"] {
            assert!(!is_sensitive(key), "{key}");
        }
    }
}
