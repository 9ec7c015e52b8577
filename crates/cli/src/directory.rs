//! `--ldap-*`: directory login for `serve`.

use anyhow::Result;
use clap::Args;
use std::sync::Arc;
use taizhang_app::directory::{Directory, Locate};

#[derive(Args)]
pub struct LdapArgs {
    /// 统一身份认证（LDAP/AD）服务地址，如 ldap://ldap.example.org:389 或 ldaps://…:636；不设则只用本地密码
    #[arg(long = "ldap-url", env = "TAIZHANG_LDAP_URL")]
    url: Option<String>,
    /// 用户 DN 模板，如 uid={username},ou=people,dc=example,dc=org（与 --ldap-search-base 二选一）
    #[arg(long = "ldap-bind-dn-template", env = "TAIZHANG_LDAP_BIND_DN_TEMPLATE", conflicts_with = "search_base")]
    template: Option<String>,
    /// 查找用户的起点，如 ou=people,dc=example,dc=org
    #[arg(long = "ldap-search-base", env = "TAIZHANG_LDAP_SEARCH_BASE")]
    search_base: Option<String>,
    /// 查找条件，{username} 处填入登录名；AD 常用 (sAMAccountName={username})
    #[arg(long = "ldap-search-filter", default_value = "(uid={username})", env = "TAIZHANG_LDAP_SEARCH_FILTER")]
    search_filter: String,
    /// 查找用户时使用的服务账号 DN（不设则匿名查找）
    #[arg(long = "ldap-bind-dn", env = "TAIZHANG_LDAP_BIND_DN")]
    bind_dn: Option<String>,
    /// 服务账号的密码（建议用环境变量 TAIZHANG_LDAP_BIND_PASSWORD 传入）
    #[arg(long = "ldap-bind-password", env = "TAIZHANG_LDAP_BIND_PASSWORD", hide_env_values = true)]
    bind_password: Option<String>,
    /// 对 ldap:// 连接启用 StartTLS
    #[arg(long = "ldap-starttls", env = "TAIZHANG_LDAP_STARTTLS")]
    starttls: bool,
}

impl LdapArgs {
    pub fn directory(&self) -> Result<Option<Arc<Directory>>> {
        let Some(url) = &self.url else { return Ok(None) };
        let locate = match (&self.template, &self.search_base) {
            (Some(t), _) => Locate::Template(t.clone()),
            (None, Some(base)) => Locate::Search {
                base: base.clone(),
                filter: self.search_filter.clone(),
                bind_dn: self.bind_dn.clone().unwrap_or_default(),
                bind_password: self.bind_password.clone().unwrap_or_default(),
            },
            (None, None) => {
                return Err(taizhang_app::Error::Invalid(
                    "设置了 --ldap-url 时须同时设置 --ldap-bind-dn-template 或 --ldap-search-base".into(),
                )
                .into())
            }
        };
        Ok(Some(Arc::new(Directory::new(url.clone(), locate, self.starttls)?)))
    }
}
