//! Coded enums: a closed set of values, each with an English code (what
//! the database, the JSON and the forms carry) and a Chinese label (what
//! people read and what spreadsheets contain). One macro writes them all,
//! so every register's choices parse, print and serialise the same way.

/// A fieldless enum whose values are coded: `code()`, `label()`,
/// `parse()` (a code, a label or an alias), `ALL` in declaration order,
/// and serde as the code.
///
/// ```
/// taizhang_core::coded_enum!(
///     /// 风险等级.
///     pub enum Grade {
///         High = "high", "高" | "高风险";
///         Low = "low", "低";
///     }
/// );
/// assert_eq!(Grade::parse("高风险"), Some(Grade::High));
/// assert_eq!(Grade::ALL.map(Grade::code), ["high", "low"]);
/// ```
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal $(| $alias:literal)* ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
        }

        impl $name {
            /// Every value, in declaration order (the order of forms and ledgers).
            pub const ALL: [$name; [$($code),*].len()] = [$($name::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            /// A code, a Chinese label or an alias, as forms, the API and
            /// spreadsheets write it; surrounding spaces are ignored.
            pub fn parse(text: &str) -> Option<Self> {
                let t = text.trim();
                match t {
                    $( $code | $label $(| $alias)* => Some($name::$variant), )*
                    _ => None,
                }
            }
        }

        impl $crate::coded::Coded for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }
    };
}

/// What every [`coded_enum!`] is, for code that handles any of them
/// (the register schema's choice fields).
pub trait Coded: Copy + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
    fn parse(text: &str) -> Option<Self>;

    /// (code, label) of every value.
    fn choices() -> Vec<(&'static str, &'static str)> {
        Self::all().iter().map(|v| (v.code(), v.label())).collect()
    }
}

#[cfg(test)]
mod tests {
    crate::coded_enum!(
        /// A test enum.
        enum Colour {
            Red = "red", "红" | "红色";
            /// With a doc comment.
            DarkBlue = "dark_blue", "深蓝";
        }
    );

    #[test]
    fn codes_labels_and_aliases_parse_and_serde_uses_the_code() {
        assert_eq!(Colour::parse(" 红色 "), Some(Colour::Red));
        assert_eq!(Colour::parse("dark_blue"), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("深蓝"), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("蓝"), None);
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).unwrap(), "\"dark_blue\"");
        assert_eq!(serde_json::from_str::<Colour>("\"red\"").unwrap(), Colour::Red);
        assert_eq!(<Colour as super::Coded>::choices(), [("red", "红"), ("dark_blue", "深蓝")]);
    }
}
