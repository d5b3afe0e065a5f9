//! Lists every organization, page after page, with the lazy stream.
//!
//! ```sh
//! PIPEDRIVE_API_TOKEN=... PIPEDRIVE_COMPANY_DOMAIN=acme cargo run -p pipedrive --example list_organizations
//! ```

use std::process::ExitCode;

use futures::TryStreamExt;
use pipedrive::Client;

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(token), Ok(company)) = (
        std::env::var("PIPEDRIVE_API_TOKEN"),
        std::env::var("PIPEDRIVE_COMPANY_DOMAIN"),
    ) else {
        eprintln!(
            "set PIPEDRIVE_API_TOKEN and PIPEDRIVE_COMPANY_DOMAIN (the `acme` of acme.pipedrive.com)"
        );
        return ExitCode::from(2);
    };
    match run(&token, &company).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(token: &str, company: &str) -> Result<(), pipedrive::Error> {
    // Stay under the burst limit even when the account is busy.
    let client = Client::builder()
        .api_token(token)
        .company_domain(company)
        .burst_limit(20)
        .build()?;
    let mut organizations = Box::pin(client.organizations().list().limit(500).all_items());
    let mut count = 0;
    while let Some(organization) = organizations.try_next().await? {
        count += 1;
        let name = organization.name.as_deref().unwrap_or("(no name)");
        println!("{:>8}  {name}", organization.id);
    }
    println!("{count} organizations");
    Ok(())
}
