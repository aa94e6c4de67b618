// CloudFront Function (cloudfront-js-2.0), viewer request.
//
// Puts the release to serve into the URI ("/x" -> "/_r/<release>/x"). The URI is always part of
// the cache key, so every release has its own cache entries: publishing, rolling back and
// previewing each change one KeyValueStore key, and nothing is ever invalidated.
//
// A release that is not live is reachable only through a preview token: `?__preview=<token>`
// looks the token up in the store ("preview:<token>" -> release id) and keeps it in a cookie.
// Deleting the key (retracting) closes every link and cookie at once; a release id alone opens
// nothing. The Python twin of this logic is select_release() in release_mapping.py, and both
// are tested against one table of cases.
import cf from 'cloudfront';

// The function has exactly one KeyValueStore associated; it holds "live" and the preview keys.
const kvsHandle = cf.kvs();

const LIVE_KEY = 'live';
const PREVIEW_KEY_PREFIX = 'preview:';
const RELEASE_URI_PREFIX = '/_r/';
const PREVIEW_PARAMETER = '__preview';
const PREVIEW_COOKIE = '__preview';
const PREVIEW_EXIT_VALUE = 'live';
const RELEASE_ID = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/;
const PREVIEW_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const COOKIE_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';
// Slashes and backslashes (raw or percent-encoded) at the start of a path would make a
// Location header name another host ("//host", "/\host"); they collapse to one slash.
const LEADING_SEPARATORS = /^(?:[/\\]|%2[fF]|%5[cC])+/;
const UNSAFE_IN_LOCATION = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g;

function safeLocation(uri) {
    const path = uri.replace(LEADING_SEPARATORS, '').replace(UNSAFE_IN_LOCATION, function (c) {
        return encodeURIComponent(c).replace(/[!'()*]/g, function (s) {
            return '%' + s.charCodeAt(0).toString(16).toUpperCase();
        });
    });
    return '/' + path;
}

function queryWithout(querystring, name) {
    // Indexed loops: the CloudFront runtime has no for-of.
    const parts = [];
    for (const key in querystring) {
        if (key === name) {
            continue;
        }
        const entry = querystring[key];
        const values = entry.multiValue ? entry.multiValue.map((v) => v.value) : [entry.value];
        for (let i = 0; i < values.length; i++) {
            parts.push(values[i] === '' ? key : key + '=' + values[i]);
        }
    }
    return parts.length ? '?' + parts.join('&') : '';
}

function lastValue(entry) {
    return entry.multiValue ? entry.multiValue[entry.multiValue.length - 1].value : entry.value;
}

function redirect(location, cookieValue, cookieAttributes) {
    const cookies = {};
    cookies[PREVIEW_COOKIE] = { value: cookieValue, attributes: cookieAttributes };
    return {
        statusCode: 302,
        statusDescription: 'Found',
        headers: {
            location: { value: location },
            'cache-control': { value: 'no-store' },
        },
        cookies: cookies,
    };
}

async function storedRelease(key) {
    try {
        const value = await kvsHandle.get(key);
        return RELEASE_ID.test(value) ? value : null;
    } catch (err) {
        return null;
    }
}

async function previewRelease(token) {
    return PREVIEW_TOKEN.test(token) ? storedRelease(PREVIEW_KEY_PREFIX + token) : null;
}

async function handler(event) {
    const request = event.request;
    const querystring = request.querystring || {};
    const cookies = request.cookies || {};

    const requested = querystring[PREVIEW_PARAMETER];
    if (requested) {
        const location = safeLocation(request.uri) + queryWithout(querystring, PREVIEW_PARAMETER);
        const token = lastValue(requested);
        if (token !== PREVIEW_EXIT_VALUE && (await previewRelease(token)) !== null) {
            return redirect(location, token, COOKIE_ATTRIBUTES);
        }
        // Leaving the preview, or a token that opens nothing (unknown or retracted).
        return redirect(location, '', 'Max-Age=0; ' + COOKIE_ATTRIBUTES);
    }

    let release = null;
    const preview = cookies[PREVIEW_COOKIE];
    if (preview) {
        release = await previewRelease(preview.value);
    }
    if (release === null) {
        release = await storedRelease(LIVE_KEY);
    }
    if (release === null) {
        console.log('no live release in the key value store');
        return { statusCode: 503, statusDescription: 'Service Unavailable' };
    }
    request.uri = RELEASE_URI_PREFIX + release + request.uri;
    return request;
}
