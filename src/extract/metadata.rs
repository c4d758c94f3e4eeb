//! Page metadata: title, author, site name, published date, excerpt and language from meta tags, JSON-LD, microdata and the document (stub, being written).
