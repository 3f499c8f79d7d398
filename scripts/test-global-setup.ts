// Placeholder replaced by the db lib's template-database setup.
export default function setup(): void {}
