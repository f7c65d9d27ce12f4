"""Pages of the counseling app, one module per part. Every object is fetched through
counseling.access, so what a person may not see is a 404 by construction."""
