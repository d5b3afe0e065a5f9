//! Creates an organization, renames it, reads it back and deletes it, printing the
//! rate-limit headers of each response.
//!
//! ```sh
//! PIPEDRIVE_API_TOKEN=... PIPEDRIVE_COMPANY_DOMAIN=acme cargo run -p pipedrive --example crud
//! ```

use std::process::ExitCode;

use pipedrive::organizations::{NewOrganization, OrganizationUpdate};
use pipedrive::{Client, Error};

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
        Err(Error::RateLimited(limited)) => {
            eprintln!(
                "rate limited ({:?}); retry after {:?}",
                limited.scope, limited.retry_after
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(token: &str, company: &str) -> Result<(), Error> {
    let client = Client::builder()
        .api_token(token)
        .company_domain(company)
        .build()?;
    let organizations = client.organizations();

    let created = organizations
        .add(NewOrganization::new("Example Ltd (pipedrive-rs)"))
        .send()
        .await?;
    let id = created.id;
    println!(
        "created {id}; {:?} requests left in this window",
        created.meta.rate_limit.remaining
    );

    let rename = OrganizationUpdate::default().name("Example Limited (pipedrive-rs)");
    organizations.update(id, rename).send().await?;

    let fetched = organizations.get(id).send().await?;
    println!(
        "now named {:?}, last updated {:?}",
        fetched.name,
        fetched.update_time.as_ref().and_then(|time| time.get())
    );

    let deleted = organizations.delete(id).send().await?;
    println!(
        "deleted {}; the operation cost {} tokens",
        deleted.id,
        pipedrive::organizations::DeleteRequest::OPERATION.cost
    );
    Ok(())
}
