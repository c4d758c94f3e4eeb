//! placeholder
pub fn test(_a: &[String]) -> Result<(), String> {
    Ok(())
}
